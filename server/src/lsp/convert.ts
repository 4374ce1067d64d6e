// Engine diagnostics → LSP diagnostics, honouring what the client says it can show.
import {
  DiagnosticSeverity,
  DiagnosticTag,
  type ClientCapabilities,
  type Diagnostic as LspDiagnostic,
  type Range,
} from 'vscode-languageserver';
import type { Severity } from '../engine/config';
import { docsUrl } from '../engine/rule';
import type { Diagnostic } from '../engine/workspace';

export const SOURCE = 'kube-expose';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const TAG: Record<'deprecated' | 'unnecessary', DiagnosticTag> = {
  deprecated: DiagnosticTag.Deprecated,
  unnecessary: DiagnosticTag.Unnecessary,
};

export interface DiagnosticSupport {
  related: boolean;
  codeDescription: boolean;
  tags: Set<DiagnosticTag>;
}

export function diagnosticSupport(caps: ClientCapabilities): DiagnosticSupport {
  const pd = caps.textDocument?.publishDiagnostics;
  return {
    related: !!pd?.relatedInformation,
    codeDescription: !!pd?.codeDescriptionSupport,
    tags: new Set(pd?.tagSupport?.valueSet ?? []),
  };
}

/** Rule ids that have no documentation page (reported by the server itself). */
const UNDOCUMENTED = new Set(['config']);

export function toLspDiagnostic(d: Diagnostic, support: DiagnosticSupport, uriOf: (key: string) => string): LspDiagnostic {
  const out: LspDiagnostic = {
    range: d.range,
    severity: SEVERITY[d.severity] ?? DiagnosticSeverity.Warning,
    code: d.rule,
    source: SOURCE,
    message: d.message,
  };
  if (support.codeDescription && !UNDOCUMENTED.has(d.rule)) out.codeDescription = { href: docsUrl(d.rule) };
  if (support.related && d.related.length) {
    out.relatedInformation = d.related.map((r) => ({ location: { uri: uriOf(r.uri), range: r.range }, message: r.message }));
  }
  const tags = d.tags.map((t) => TAG[t]).filter((t) => t !== undefined && support.tags.has(t));
  if (tags.length) out.tags = tags;
  return out;
}

export function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character
  );
}

/** Inclusive: a caret touching either end of a range counts. */
export function rangesTouch(a: Range, b: Range): boolean {
  const before = (p: { line: number; character: number }, q: { line: number; character: number }) =>
    p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}
