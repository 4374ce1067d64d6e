// Output formats of `kube-expose check`: text for people, JSON (stable, version
// 1) for scripts, SARIF 2.1.0 for code scanning.
import type { Diagnostic } from '../engine/workspace';
import { docsUrl, type RuleMeta } from '../engine/rule';

export interface CheckSummary {
  files: number;
  resources: number;
  errors: number;
  warnings: number;
  information: number;
  hints: number;
  templates: number;
  skipped: number;
}

export interface Report {
  summary: CheckSummary;
  diagnostics: Diagnostic[];
  /** file key -> display path */
  display: (uri: string) => string;
  /** file key -> text (for code frames) */
  textOf: (uri: string) => string | undefined;
}

export function summarize(diagnostics: Diagnostic[], base: Omit<CheckSummary, 'errors' | 'warnings' | 'information' | 'hints'>): CheckSummary {
  const count = (s: string) => diagnostics.filter((d) => d.severity === s).length;
  return { ...base, errors: count('error'), warnings: count('warning'), information: count('information'), hints: count('hint') };
}

export function formatJson(report: Report): string {
  const { summary } = report;
  return JSON.stringify(
    {
      version: 1,
      summary: {
        files: summary.files,
        resources: summary.resources,
        errors: summary.errors,
        warnings: summary.warnings,
        information: summary.information,
        hints: summary.hints,
      },
      diagnostics: report.diagnostics.map((d) => ({
        file: report.display(d.uri),
        rule: d.rule,
        severity: d.severity,
        message: d.message,
        range: d.range,
        resource: d.resource ? { kind: d.resource.kind, namespace: d.resource.namespace, name: d.resource.name } : null,
        related: d.related.map((r) => ({ file: report.display(r.uri), range: r.range, message: r.message })),
        fixes: d.fixes.map((f) => ({
          title: f.title,
          ...(f.isPreferred ? { isPreferred: true } : {}),
          edits: f.edits.map((e) => ({ file: report.display(e.uri), range: e.range, newText: e.newText })),
        })),
      })),
    },
    null,
    2,
  );
}

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function formatSarif(report: Report, rules: readonly RuleMeta[], version: string): string {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const region = (range: Diagnostic['range']) => ({
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: Math.max(range.end.character + 1, range.start.line === range.end.line ? range.start.character + 2 : 1),
  });
  const location = (uri: string, range: Diagnostic['range'], message?: string) => ({
    physicalLocation: { artifactLocation: { uri: encodeURI(report.display(uri)), uriBaseId: '%SRCROOT%' }, region: region(range) },
    ...(message ? { message: { text: message } } : {}),
  });
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'kube-expose',
              version,
              semanticVersion: version,
              informationUri: 'https://github.com/kube-expose/kube-expose',
              rules: rules.map((r) => ({
                id: r.id,
                name: r.id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
                shortDescription: { text: r.description },
                fullDescription: { text: r.description },
                helpUri: docsUrl(r.id),
                help: { text: `${r.description} See ${docsUrl(r.id)}` },
                defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
                properties: { tags: ['kubernetes'] },
              })),
            },
          },
          originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileUri(process.cwd()) + '/' } },
          results: report.diagnostics.map((d) => ({
            ruleId: d.rule,
            ...(ruleIndex.has(d.rule) ? { ruleIndex: ruleIndex.get(d.rule) } : {}),
            level: SARIF_LEVEL[d.severity],
            message: { text: d.message },
            locations: [location(d.uri, d.range)],
            ...(d.related.length ? { relatedLocations: d.related.map((r, i) => ({ id: i + 1, ...location(r.uri, r.range, r.message) })) } : {}),
            ...(d.fixes.length
              ? {
                  fixes: d.fixes.map((f) => ({
                    description: { text: f.title },
                    artifactChanges: groupBy(f.edits, (e) => e.uri).map(([uri, edits]) => ({
                      artifactLocation: { uri: encodeURI(report.display(uri)), uriBaseId: '%SRCROOT%' },
                      replacements: edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
                    })),
                  })),
                }
              : {}),
          })),
        },
      ],
    },
    null,
    2,
  );
}

function groupBy<T>(items: T[], key: (t: T) => string): [string, T[]][] {
  const m = new Map<string, T[]>();
  for (const it of items) m.set(key(it), [...(m.get(key(it)) ?? []), it]);
  return [...m];
}

function pathToFileUri(p: string): string {
  return 'file://' + encodeURI(p.split('\\').join('/').replace(/^(?=[A-Za-z]:)/, '/'));
}

// ---------------------------------------------------------------------------
// Text

const COLORS = { error: 31, warning: 33, information: 36, hint: 90 } as const;

export function formatText(report: Report, color: boolean): string {
  const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const dim = (s: string) => paint(2, s);
  const lines: string[] = [];
  const sorted = [...report.diagnostics].sort(
    (a, b) => report.display(a.uri).localeCompare(report.display(b.uri)) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  for (const d of sorted) {
    const where = `${report.display(d.uri)}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
    lines.push(`${where} ${paint(COLORS[d.severity], d.severity)} ${d.message} ${dim(`[${d.rule}]`)}`);
    const text = report.textOf(d.uri);
    if (text !== undefined) {
      const src = text.split(/\r?\n/);
      const l = d.range.start.line;
      if (l < src.length) {
        const gutter = String(l + 1).padStart(5);
        const lineText = src[l].replace(/\t/g, ' ');
        lines.push(dim(`${gutter} | `) + lineText);
        const endChar = d.range.end.line === l ? d.range.end.character : lineText.length;
        const width = Math.max(1, endChar - d.range.start.character);
        lines.push(dim(`${' '.repeat(5)} | `) + ' '.repeat(d.range.start.character) + paint(COLORS[d.severity], '^'.repeat(width)));
      }
    }
    for (const r of d.related) lines.push(dim(`      ↳ ${report.display(r.uri)}:${r.range.start.line + 1}:${r.range.start.character + 1} ${r.message}`));
  }
  const s = report.summary;
  const problems = s.errors + s.warnings + s.information + s.hints;
  if (lines.length) lines.push('');
  const counts = `${s.errors} ${s.errors === 1 ? 'error' : 'errors'}, ${s.warnings} ${s.warnings === 1 ? 'warning' : 'warnings'}, ${s.information} information, ${s.hints} ${s.hints === 1 ? 'hint' : 'hints'}`;
  let summary = `${problems === 0 ? '✔ no problems' : `✖ ${problems} ${problems === 1 ? 'problem' : 'problems'} (${counts})`} in ${s.files} ${s.files === 1 ? 'file' : 'files'}, ${s.resources} ${s.resources === 1 ? 'resource' : 'resources'}`;
  if (s.templates) summary += `; skipped: ${s.templates} template ${s.templates === 1 ? 'file' : 'files'}`;
  if (s.skipped) summary += `; not checked: ${s.skipped} ${s.skipped === 1 ? 'file' : 'files'} (size, binary or encoding)`;
  lines.push(problems === 0 ? paint(32, summary) : s.errors ? paint(31, summary) : paint(33, summary));
  return lines.join('\n');
}
