// Reading a folder's `.kube-expose.yaml` for the language server: the same
// parser as the CLI, plus the range of the offending key so the error can be
// shown on the file itself.
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { ConfigError, parseConfigFile, type ConfigFile } from '../engine/config';
import { LineIndex, type Range } from '../engine/text';

export type ConfigParse = { config: ConfigFile } | { error: string; range: Range };

const LINE_ONE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function parseConfigText(text: string, knownRules: Iterable<string>, name: string): ConfigParse {
  try {
    return { config: parseConfigFile(text, knownRules, name) };
  } catch (e) {
    if (!(e instanceof ConfigError)) return { error: `${name}: ${(e as Error).message}`, range: LINE_ONE };
    const message = e.message.startsWith(`${name}: `) ? e.message : `${name}: ${e.message}`;
    return { error: message, range: locateError(text, message.slice(name.length + 2)) };
  }
}

/** Range of the key an error message names (`rules.foo: unknown rule id`), else of the YAML error, else line 1. */
function locateError(text: string, detail: string): Range {
  const lines = new LineIndex(text);
  const toRange = (r: readonly number[] | null | undefined): Range | undefined => {
    if (!r) return undefined;
    let end = Math.max(r[1], r[0]);
    while (end > r[0] && /\s/.test(text[end - 1])) end--;
    return { start: lines.positionAt(r[0]), end: lines.positionAt(Math.max(end, r[0] + 1)) };
  };
  let doc;
  try {
    doc = parseDocument(text, { prettyErrors: false });
  } catch {
    return LINE_ONE;
  }
  if (detail.startsWith('not valid YAML')) {
    const err = doc.errors[0];
    return (err && toRange(err.pos)) ?? LINE_ONE;
  }
  const m = /^([^\s:]+|\(root\)): (.*)$/.exec(detail);
  if (!m || m[1] === '(root)') return LINE_ONE;
  const path = m[1].split('.');
  const unknownKey = /^unknown key "(.*)"/.exec(m[2]);
  if (unknownKey && path[path.length - 1] !== unknownKey[1]) path.push(unknownKey[1]);
  let node: unknown = doc.contents;
  let best: Range | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) break;
      best = toRange((pair.key as Node).range) ?? best;
      node = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(seg) && node.items[Number(seg)]) {
      node = node.items[Number(seg)];
      best = toRange((node as Node).range) ?? best;
    } else break;
  }
  return best ?? LINE_ONE;
}
