// String formats the API server enforces (k8s-rules.md §1, F-01..F-13), as
// checks that say *what* is wrong with a value in plain words. The schemas name
// them with `format`; the `schema` rule registers them with ajv and uses the
// same checks to explain a failure.

export interface FormatCheck {
  /** what a valid value is, as a noun phrase ("a DNS-1035 label") */
  rule: string;
  /** reasons the value fails; empty when it is valid */
  check(value: string): string[];
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_CHARS = /^[-a-z0-9]+$/;

const quoteChars = (chars: Iterable<string>): string =>
  [...new Set(chars)]
    .slice(0, 5)
    .map((c) => (c === ' ' ? 'a space' : c === '\t' ? 'a tab' : `"${c}"`))
    .join(', ');

/**
 * Generic diagnosis of a name against an allowed character set and edge rules.
 * `allowed` tests one character; `edge` tests the first/last character.
 */
function diagnose(
  value: string,
  opts: { max: number; allowed: RegExp; allowedWords: string; edge: RegExp; edgeWords: string; first?: RegExp; firstWords?: string },
): string[] {
  const out: string[] = [];
  if (value.length === 0) return ['it is empty'];
  if (value.length > opts.max) out.push(`it is ${value.length} characters long (at most ${opts.max})`);
  const chars = [...value];
  const upper = chars.filter((c) => /[A-Z]/.test(c) && !opts.allowed.test(c));
  const bad = chars.filter((c) => !opts.allowed.test(c) && !/[A-Z]/.test(c));
  if (upper.length) out.push('it has uppercase letters');
  if (bad.length) out.push(`it contains ${quoteChars(bad)} (only ${opts.allowedWords} are allowed)`);
  const first = chars[0];
  const last = chars[chars.length - 1];
  if (opts.first && !opts.first.test(first) && !/[A-Z]/.test(first)) out.push(`it must start with ${opts.firstWords}`);
  else if (opts.allowed.test(first) && !opts.edge.test(first)) out.push(`it must start with ${opts.edgeWords}`);
  if (opts.allowed.test(last) && !opts.edge.test(last)) out.push(`it must end with ${opts.edgeWords}`);
  return out;
}

const LOWER_ALNUM_DASH = { allowed: /[-a-z0-9]/, allowedWords: "lowercase letters, digits and '-'", edge: /[a-z0-9]/, edgeWords: 'a letter or digit' };

/** F-01 */
export function dns1123Label(value: string): string[] {
  if (DNS1123_LABEL.test(value) && value.length <= 63) return [];
  if (value.length <= 63 && value.includes('.') && DNS1123_SUBDOMAIN.test(value)) return ['it must not contain dots'];
  return diagnose(value, { max: 63, ...LOWER_ALNUM_DASH });
}

/** F-02 */
export function dns1123Subdomain(value: string): string[] {
  if (value.length <= 253 && DNS1123_SUBDOMAIN.test(value)) return [];
  const out = diagnose(value, {
    max: 253,
    allowed: /[-a-z0-9.]/,
    allowedWords: "lowercase letters, digits, '-' and '.'",
    edge: /[a-z0-9]/,
    edgeWords: 'a letter or digit',
  });
  if (out.length === 0 || /\.\.|\.-|-\./.test(value)) out.push("each dot-separated part must start and end with a letter or digit");
  return [...new Set(out)];
}

/** F-03 */
export function dns1035Label(value: string): string[] {
  if (DNS1035_LABEL.test(value) && value.length <= 63) return [];
  return diagnose(value, { max: 63, ...LOWER_ALNUM_DASH, first: /[a-z]/, firstWords: 'a lowercase letter' });
}

/** F-06: IANA service name, used for container port names and named target ports. */
export function ianaPortName(value: string): string[] {
  const out: string[] = [];
  if (value.length > 15) out.push(`it is ${value.length} characters long (at most 15)`);
  if (!IANA_CHARS.test(value)) {
    const chars = [...value];
    if (chars.some((c) => /[A-Z]/.test(c))) out.push('it has uppercase letters');
    const bad = chars.filter((c) => !/[-a-z0-9A-Z]/.test(c));
    if (bad.length) out.push(`it contains ${quoteChars(bad)} (only lowercase letters, digits and '-' are allowed)`);
  }
  if (!/[a-zA-Z]/.test(value)) out.push(value.length === 0 ? 'it is empty' : 'it has no letter (a name needs at least one, so digits alone are not a name)');
  if (value.includes('--')) out.push("it contains '--'");
  if (value.startsWith('-') || value.endsWith('-')) out.push("it starts or ends with '-'");
  return out;
}

/** F-11: label key, annotation key (lowercased), appProtocol, loadBalancerClass. */
export function qualifiedName(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2) return ["it has more than one '/' (the form is an optional DNS subdomain prefix, '/', then a name)"];
  const out: string[] = [];
  let name = value;
  if (parts.length === 2) {
    const [prefix] = parts;
    name = parts[1];
    if (prefix.length === 0) out.push("the prefix before '/' is empty");
    else {
      const p = dns1123Subdomain(prefix);
      if (p.length) out.push(`the prefix "${prefix}" is not a lowercase DNS subdomain: ${p.join('; ')}`);
    }
  }
  if (name.length === 0) out.push('the name part is empty');
  else if (name.length > 63 || !QUALIFIED_NAME_PART.test(name)) {
    const d = diagnose(name, {
      max: 63,
      allowed: /[-A-Za-z0-9_.]/,
      allowedWords: "letters, digits, '-', '_' and '.'",
      edge: /[A-Za-z0-9]/,
      edgeWords: 'a letter or digit',
    });
    out.push(...d.map((x) => (parts.length === 2 ? `in the name part, ${x}` : x)));
  }
  return out;
}

export function annotationKey(value: string): string[] {
  return qualifiedName(value.toLowerCase());
}

/** F-12 */
export function labelValue(value: string): string[] {
  if (value.length <= 63 && LABEL_VALUE.test(value)) return [];
  return diagnose(value, {
    max: 63,
    allowed: /[-A-Za-z0-9_.]/,
    allowedWords: "letters, digits, '-', '_' and '.'",
    edge: /[A-Za-z0-9]/,
    edgeWords: 'a letter or digit',
  });
}

// ---------------------------------------------------------------------------
// IP addresses (F-08, F-09, F-10). The API parses "sloppily": IPv4 parts with
// leading zeros are accepted for existing fields.

function parseIPv4(s: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : undefined;
}

/** 8 16-bit groups, or undefined. */
function parseIPv6(s: string): number[] | undefined {
  if (!s.includes(':') || /[^0-9a-fA-F:.]/.test(s)) return undefined;
  let text = s;
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  const last = s.slice(lastColon + 1);
  if (last.includes('.')) {
    // an embedded IPv4 address takes the last two groups
    const v4 = parseIPv4(last);
    if (!v4) return undefined;
    tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    text = s.slice(0, lastColon + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const group = (g: string) => (/^[0-9a-fA-F]{1,4}$/.test(g) ? parseInt(g, 16) : NaN);
  const side = (h: string) => (h === '' ? [] : h.split(':').map(group));
  const head = side(halves[0]);
  const rest = halves.length === 2 ? side(halves[1]) : [];
  if ([...head, ...rest].some((x) => Number.isNaN(x))) return undefined;
  const total = head.length + rest.length + tail.length;
  if (halves.length === 1) return total === 8 ? [...head, ...tail] : undefined;
  if (total > 7) return undefined;
  return [...head, ...new Array<number>(8 - total).fill(0), ...rest, ...tail];
}

export function ipFamily(s: string): 4 | 6 | undefined {
  if (parseIPv4(s)) return 4;
  if (parseIPv6(s)) return 6;
  return undefined;
}

const IP_RULE = 'an IP address such as 10.9.8.7 or 2001:db8::ffff';

export function ip(value: string): string[] {
  return ipFamily(value) ? [] : [`it is not ${IP_RULE}`];
}

/** F-09: addresses that can never be a backend or an external IP. */
function specialIP(value: string): string | undefined {
  const v4 = parseIPv4(value);
  if (v4) {
    if (v4.every((x) => x === 0)) return 'it is the unspecified address';
    if (v4[0] === 127) return 'it is in the loopback range 127.0.0.0/8';
    if (v4[0] === 169 && v4[1] === 254) return 'it is in the link-local range 169.254.0.0/16';
    if (v4[0] === 224 && v4[1] === 0 && v4[2] === 0) return 'it is in the link-local multicast range 224.0.0.0/24';
    return undefined;
  }
  const v6 = parseIPv6(value);
  if (!v6) return undefined;
  // IPv4-mapped addresses are judged as IPv4
  if (v6.slice(0, 5).every((x) => x === 0) && v6[5] === 0xffff) {
    return specialIP([v6[6] >> 8, v6[6] & 255, v6[7] >> 8, v6[7] & 255].join('.'));
  }
  if (v6.every((x) => x === 0)) return 'it is the unspecified address';
  if (v6.slice(0, 7).every((x) => x === 0) && v6[7] === 1) return 'it is the loopback address ::1';
  if ((v6[0] & 0xffc0) === 0xfe80) return 'it is in the link-local range fe80::/10';
  if ((v6[0] & 0xff0f) === 0xff02) return 'it is in the link-local multicast range ff02::/16';
  return undefined;
}

export function ipNonSpecial(value: string): string[] {
  if (!ipFamily(value)) return [`it is not ${IP_RULE}`];
  const s = specialIP(value);
  return s ? [s] : [];
}

export function ipv4NonSpecial(value: string): string[] {
  if (!parseIPv4(value)) return ['it is not an IPv4 address (this slice has addressType IPv4)'];
  const s = specialIP(value);
  return s ? [s] : [];
}

export function ipv6NonSpecial(value: string): string[] {
  if (parseIPv4(value) || !parseIPv6(value)) return ['it is not an IPv6 address (this slice has addressType IPv6)'];
  const s = specialIP(value);
  return s ? [s] : [];
}

export function clusterIP(value: string): string[] {
  if (value === '' || value === 'None' || ipFamily(value)) return [];
  if (value.toLowerCase() === 'none') return ['the headless marker is spelled "None"'];
  return [`it is neither "None" (headless) nor ${IP_RULE}`];
}

export function cidr(value: string): string[] {
  const v = value.trim();
  const slash = v.indexOf('/');
  if (slash === -1) return ['it has no prefix length (write it as 10.0.0.0/8 or 2001:db8::/64)'];
  const fam = ipFamily(v.slice(0, slash));
  const bits = v.slice(slash + 1);
  if (!fam) return ['the part before "/" is not an IP address'];
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > (fam === 4 ? 32 : 128)) return [`the prefix length must be 0-${fam === 4 ? 32 : 128}`];
  return [];
}

// ---------------------------------------------------------------------------
// Host names

/** F-04 */
export function wildcardSubdomain(value: string): string[] {
  if (!value.startsWith('*.')) return ["a wildcard must be the whole first label: '*.' followed by a domain"];
  const rest = dns1123Subdomain(value.slice(2));
  if (value.length > 253) rest.push(`it is ${value.length} characters long (at most 253)`);
  return rest;
}

export function ingressHost(value: string): string[] {
  if (ipFamily(value)) return ['it is an IP address; Ingress hosts must be DNS names'];
  if (value.includes('*')) return wildcardSubdomain(value);
  const out = dns1123Subdomain(value);
  if (out.length && /:\d+$/.test(value)) return ['it includes a port; hosts are names only (the controller listens on 80/443)'];
  if (out.length && value.endsWith('.')) return ['it ends with a dot'];
  return out;
}

export function tlsHost(value: string): string[] {
  if (value.includes('*')) return wildcardSubdomain(value);
  return dns1123Subdomain(value);
}

export function externalName(value: string): string[] {
  if (value === '' || value === '.') return [];
  const v = value.endsWith('.') ? value.slice(0, -1) : value;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return ['it is a URL; give only the host name (no scheme, path or port)'];
  return dns1123Subdomain(v);
}

/** EndpointSlice FQDN addresses. */
export function fqdn(value: string): string[] {
  const v = value.endsWith('.') ? value.slice(0, -1) : value;
  const out = dns1123Subdomain(v);
  if (!out.length && !v.includes('.')) out.push('it needs at least two dot-separated parts (this slice has addressType FQDN)');
  return out;
}

/** F-13: IngressClass controller. */
export function domainPrefixedPath(value: string): string[] {
  const out: string[] = [];
  if (value.length > 250) out.push(`it is ${value.length} characters long (at most 250)`);
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1) {
    out.push('it must be a domain, "/", then a path, such as "example.com/ingress-controller"');
    return out;
  }
  const d = dns1123Subdomain(value.slice(0, slash));
  if (d.length) out.push(`the domain "${value.slice(0, slash)}" is not a lowercase DNS subdomain: ${d.join('; ')}`);
  if (!/^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(value.slice(slash + 1))) out.push('the path part contains characters not allowed in a URL path');
  return out;
}

/** Names used as one URL path segment (resource kinds and names). */
export function pathSegmentName(value: string): string[] {
  if (value === '.' || value === '..') return [`it may not be "${value}"`];
  const bad = [...value].filter((c) => c === '/' || c === '%');
  return bad.length ? [`it may not contain ${quoteChars(bad)}`] : [];
}

// ---------------------------------------------------------------------------

export const FORMATS: Record<string, FormatCheck> = {
  'dns1123-label': { rule: "a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters", check: dns1123Label },
  'dns1123-subdomain': {
    rule: "a DNS subdomain: lowercase letters, digits, '-' and '.', each part starting and ending with a letter or digit, at most 253 characters",
    check: dns1123Subdomain,
  },
  'dns1035-label': {
    rule: "a DNS-1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most 63 characters",
    check: dns1035Label,
  },
  'iana-port-name': {
    rule: "an IANA service name: at most 15 characters of lowercase letters, digits and '-', with at least one letter, no '--', and no '-' at either end",
    check: ianaPortName,
  },
  'qualified-name': {
    rule: "a qualified name: an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
    check: qualifiedName,
  },
  'annotation-key': {
    rule: "a qualified name: an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
    check: annotationKey,
  },
  'label-value': {
    rule: "empty, or at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
    check: labelValue,
  },
  ip: { rule: IP_RULE, check: ip },
  'ip-non-special': { rule: `${IP_RULE}, not loopback, link-local or unspecified`, check: ipNonSpecial },
  'ipv4-non-special': { rule: 'an IPv4 address, not loopback, link-local or unspecified', check: ipv4NonSpecial },
  'ipv6-non-special': { rule: 'an IPv6 address, not loopback, link-local or unspecified', check: ipv6NonSpecial },
  'cluster-ip': { rule: `"None" (headless), empty (allocate one), or ${IP_RULE}`, check: clusterIP },
  cidr: { rule: 'a CIDR such as 10.0.0.0/8 or 2001:db8::/64', check: cidr },
  'ingress-host': { rule: "a DNS name (lowercase letters, digits, '-' and '.'), or a wildcard '*.' followed by one", check: ingressHost },
  'tls-host': { rule: "a DNS name (lowercase letters, digits, '-' and '.'), or a wildcard '*.' followed by one", check: tlsHost },
  'external-name': { rule: "a DNS name (lowercase letters, digits, '-' and '.'), with no scheme, path or port", check: externalName },
  fqdn: { rule: 'a fully qualified domain name with at least two parts', check: fqdn },
  'domain-prefixed-path': { rule: 'a domain-prefixed path such as "example.com/ingress-controller"', check: domainPrefixedPath },
  'path-segment-name': { rule: "a name without '/' or '%', and not '.' or '..'", check: pathSegmentName },
};
