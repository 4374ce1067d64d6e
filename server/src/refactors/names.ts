// Port names: what the API accepts (IANA_SVC_NAME, k8s-rules.md F-06) and the
// names refactors give to unnamed container ports.
import { WELL_KNOWN_PORT_NAMES } from '../engine/model';

/** F-06: 1-15 characters, lowercase letters, digits and single inner hyphens, at least one letter. */
export function isIanaPortName(s: string): boolean {
  return s.length >= 1 && s.length <= 15 && /^[-a-z0-9]+$/.test(s) && /[a-z]/.test(s) && !s.includes('--') && !s.startsWith('-') && !s.endsWith('-');
}

/** A free name for port `n`: its well-known name, then variants with the number or protocol, then `port-<n>`. */
export function portNameFor(n: number, protocol: string, taken: ReadonlySet<string>): string {
  const wk = WELL_KNOWN_PORT_NAMES[n];
  const proto = protocol.toLowerCase();
  const candidates =
    protocol === 'TCP'
      ? [wk, wk && `${wk}-${n}`, `port-${n}`]
      : [wk, wk && `${wk}-${proto}`, `${proto}-${n}`, `port-${n}-${proto}`];
  for (const c of candidates) if (c && isIanaPortName(c) && !taken.has(c)) return c;
  for (let i = 2; ; i++) {
    const c = `p${n}-${i}`;
    if (!taken.has(c)) return c;
  }
}
