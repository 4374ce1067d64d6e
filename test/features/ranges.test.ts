// Every range a language feature answers with, at every cursor position of
// awkward text (CRLF and lone CR line breaks, emoji, quotes, flow
// collections, `- ` items, a second document, positions past the end of a
// line and past the last line): it lies inside the text, never ends before it
// starts, and a completion's replace range is on the cursor's line and holds
// the cursor (VS Code drops an item whose range does not). The protocol storm
// (test/robustness/stress.ts) found a completion range ending before it
// started; this pins it for every feature without a server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TextEdit } from 'vscode-languageserver-types';
import { codeLenses, complete, definition, documentSymbols, hover, prepareRename, references, rename } from '../../server/src/features';
import { LineIndex, type Position, type Range } from '../../server/src/engine/text';
import { fixtureFiles, uriOf, workspace } from './helpers';

process.removeAllListeners('warning'); // the yaml library warns about the collection keys a lone CR makes

const FILES = fixtureFiles();
const NEW = uriOf('new.yaml');

const DOC = [
  '# a Service 😀',
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: "edge"',
  '  namespace: shop',
  '  labels: {app: \'web\', tier: "😀x", : }',
  'spec:',
  '  type: "NodePort"',
  '  selector:',
  '    app: web',
  '    track: \'stable\'',
  '  ports:',
  '    - name: http',
  '      port: 80',
  '      targetPort: "http"',
  '    -   name: metrics',
  '        targetPort: 9090',
  '    - {port: 82, targetPort: "x", name: }',
  '    -  ',
  '  externalIPs:',
  '    - "1.2.3.4"',
  '    - 😀',
  '---',
  'apiVersion: networking.k8s.io/v1',
  'kind: Ingress',
  'metadata: {name: shop2, namespace: shop}',
  'spec:',
  '  rules:',
  '    - host: "a.example.com"',
  '      http:',
  '        paths:',
  '          - path: /',
  '            pathType: Prefix',
  '            backend:',
  '              service: {name: "web", port: {name: http}}',
  '',
].join('\n');

const TEXTS: Record<string, string> = {
  LF: DOC,
  CRLF: DOC.replace(/\n/g, '\r\n'),
  'lone CR': DOC.replace(/\n/g, '\r'),
};

function isSurrogatePairAt(text: string, offset: number): boolean {
  const before = text.charCodeAt(offset - 1);
  const at = text.charCodeAt(offset);
  return before >= 0xd800 && before <= 0xdbff && at >= 0xdc00 && at <= 0xdfff;
}

/** Why a range is not a range of `text`, if it is not. */
function badRange(lines: LineIndex, r: Range): string | undefined {
  for (const p of [r.start, r.end]) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) return `bad position ${JSON.stringify(p)}`;
    if (p.line >= lines.lineCount) return `line ${p.line} past the last line`;
    const length = lines.lineEnd(p.line) - lines.lineStarts[p.line];
    if (p.character > length) return `character ${p.character} past the end of line ${p.line} (length ${length})`;
    if (isSurrogatePairAt(lines.text, lines.lineStarts[p.line] + p.character)) return `${JSON.stringify(p)} splits a surrogate pair`;
  }
  if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character)) return 'ends before it starts';
  return undefined;
}

/** Every `range` and `selectionRange` in an answer (locations in other files left out). */
function rangesIn(v: unknown, uri: string, out: Range[] = []): Range[] {
  if (!v || typeof v !== 'object') return out;
  if (Array.isArray(v)) {
    for (const x of v) rangesIn(x, uri, out);
    return out;
  }
  const o = v as Record<string, unknown>;
  if (typeof o.uri === 'string' && o.uri !== uri) return out;
  for (const [k, x] of Object.entries(o)) {
    if (k === 'changes') rangesIn((x as Record<string, unknown>)[uri], uri, out);
    else if (k === 'command' || k === 'arguments') continue;
    else if (k === 'range' || k === 'selectionRange') out.push(x as Range);
    else rangesIn(x, uri, out);
  }
  return out;
}

/** The cursor positions tried: every offset, a column past each line's end, and lines past the last. */
function positions(lines: LineIndex): Position[] {
  const out: Position[] = [];
  for (let offset = 0; offset <= lines.text.length; offset++) out.push(lines.positionAt(offset));
  for (let line = 0; line < lines.lineCount; line++) out.push({ line, character: lines.lineEnd(line) - lines.lineStarts[line] + 2 });
  out.push({ line: lines.lineCount, character: 0 }, { line: lines.lineCount + 3, character: 7 });
  return out;
}

describe('feature ranges at every position of awkward text', { timeout: 120_000 }, () => {
  for (const [name, text] of Object.entries(TEXTS)) {
    const ws = workspace({ ...FILES, [NEW]: text });
    const lines = new LineIndex(text);
    const at = (p: Position) => JSON.stringify(p) + ` of ${JSON.stringify(p.line < lines.lineCount ? lines.lineText(p.line) : '(past the end)')}`;

    it(`completion (${name}): each replace range lies inside the text, on the cursor's line, around the cursor`, () => {
      let checked = 0;
      for (const p of positions(lines)) {
        // the server reads a position past a line's end as that end, and past the last line as the text's end
        const cur = lines.positionAt(lines.offsetAt(p));
        for (const item of complete(ws, NEW, p)?.items ?? []) {
          const r = (item.textEdit as TextEdit).range;
          const bad = badRange(lines, r);
          assert.ok(!bad, `completion at ${at(p)}: "${item.label}" range ${JSON.stringify(r)} ${bad}`);
          const around = r.start.line === cur.line && r.end.line === cur.line && r.start.character <= cur.character && cur.character <= r.end.character;
          assert.ok(around, `completion at ${at(p)}: "${item.label}" range ${JSON.stringify(r)} does not hold the cursor ${JSON.stringify(cur)}`);
          checked++;
        }
      }
      assert.ok(checked > 500, `only ${checked} items checked`);
    });

    it(`hover, definition, references, prepareRename, rename (${name}): every range lies inside the text, in order`, () => {
      for (const p of positions(lines)) {
        const answers: [string, unknown][] = [
          ['hover', hover(ws, NEW, p)],
          ['definition', definition(ws, NEW, p)],
          ['references', references(ws, NEW, p)],
          ['prepareRename', prepareRename(ws, NEW, p)],
        ];
        try {
          answers.push(['rename', rename(ws, NEW, p, 'renamed')]);
        } catch {
          // RenameError: not a valid name here
        }
        for (const [what, answer] of answers) {
          for (const r of rangesIn(answer, NEW)) {
            const bad = badRange(lines, r);
            assert.ok(!bad, `${what} at ${at(p)}: ${JSON.stringify(r)} ${bad}`);
          }
        }
      }
    });

    it(`code lenses and document symbols (${name}): every range lies inside the text, in order`, () => {
      const ranges = [...rangesIn(codeLenses(ws, NEW), NEW), ...rangesIn(documentSymbols(ws, NEW), NEW)];
      // (the YAML parser reads no line break in a lone CR: that text is one odd document)
      if (name !== 'lone CR') assert.ok(ranges.length > 5, `only ${ranges.length} ranges`);
      for (const r of ranges) assert.ok(!badRange(lines, r), `${JSON.stringify(r)} ${badRange(lines, r)}`);
    });
  }
});
