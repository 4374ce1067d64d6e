// Every snippet, expanded with its default values, is a complete manifest that
// parses and checks clean with the engine.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { run } from '../rule-tester';

interface Snippet {
  prefix: string;
  description: string;
  body: string[];
}

const snippets: Record<string, Snippet> = JSON.parse(readFileSync('snippets/kubernetes-exposure.code-snippets', 'utf8'));

/** Expands VS Code snippet syntax with default values: ${1:x}, ${1|a,b|}, $1 mirrors, $0. */
export function expand(body: string): string {
  const values = new Map<string, string>();
  // first pass: defaults (placeholders may nest a mirror: ${5:$3})
  const parse = (s: string, i: number, stop?: string): [string, number] => {
    let out = '';
    while (i < s.length) {
      const c = s[i];
      if (stop && c === stop) return [out, i];
      if (c === '\\' && i + 1 < s.length) {
        out += s[i + 1];
        i += 2;
      } else if (c === '$' && s[i + 1] === '{') {
        const m = /^\$\{(\d+)([:|])/.exec(s.slice(i));
        if (!m) throw new Error(`unsupported snippet syntax at ${s.slice(i, i + 20)}`);
        i += m[0].length;
        if (m[2] === '|') {
          const end = s.indexOf('|}', i);
          const choice = s.slice(i, end).split(',')[0];
          values.set(m[1], choice);
          out += choice;
          i = end + 2;
        } else {
          const [inner, j] = parse(s, i, '}');
          values.set(m[1], inner);
          out += inner;
          i = j + 1;
        }
      } else if (c === '$' && /\d/.test(s[i + 1] ?? '')) {
        const m = /^\$(\d+)/.exec(s.slice(i))!;
        out += m[1] === '0' ? '' : (values.get(m[1]) ?? `\u0000${m[1]}\u0000`);
        i += m[0].length;
      } else {
        out += c;
        i++;
      }
    }
    return [out, i];
  };
  const [first] = parse(body, 0);
  // mirrors that appear before their placeholder are resolved in a second pass
  return first.replace(/\u0000(\d+)\u0000/g, (_, n: string) => values.get(n) ?? '');
}

describe('snippets', () => {
  it('cover every exposure method with discoverable prefixes', () => {
    const prefixes = Object.values(snippets).map((s) => s.prefix);
    for (const p of ['k8s-svc-clusterip', 'k8s-svc-headless', 'k8s-svc-nodeport', 'k8s-svc-loadbalancer', 'k8s-svc-externalname', 'k8s-svc-externalips', 'k8s-svc-endpointslice', 'k8s-svc-multiport', 'k8s-deploy-svc', 'k8s-pod-hostport', 'k8s-pod-hostnetwork', 'k8s-ing', 'k8s-ing-tls', 'k8s-ing-default-backend', 'k8s-ingressclass', 'k8s-httproute']) {
      assert.ok(prefixes.includes(p), `missing ${p}`);
    }
    assert.equal(new Set(prefixes).size, prefixes.length, 'prefixes are unique');
  });

  it('expands mirrors and choices as VS Code does', () => {
    assert.equal(expand('a: ${1:web}\nb: $1\nc: ${2|x,y|}\nd: ${3:$1}-tls\n$0'), 'a: web\nb: web\nc: x\nd: web-tls\n');
  });

  // What each snippet is allowed to say about itself: the host-exposure hint is
  // the point of the hostPort/hostNetwork snippets; externalIPs is deprecated.
  const expected: Record<string, string[]> = {
    'k8s-pod-hostport': ['pod-host-exposure'],
    'k8s-pod-hostnetwork': ['pod-host-exposure'],
    'k8s-svc-externalips': ['service-external-ips'],
  };
  for (const [name, s] of Object.entries(snippets)) {
    it(`${s.prefix} (${name}) expands to a clean manifest`, () => {
      const text = expand(s.body.join('\n'));
      for (const doc of parseAllDocuments(text) as any[]) assert.deepEqual(doc.errors, [], `${s.prefix} parses`);
      const found = run({ 'snippet.yaml': text }).map((d) => d.rule);
      assert.deepEqual(found.sort(), (expected[s.prefix] ?? []).sort(), `${s.prefix}:\n${text}`);
    });
  }
});
