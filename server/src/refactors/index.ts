// Refactors: transport-free, computed on demand for a range of a file. Each is
// a list of minimal text edits in file coordinates (comments, quoting and
// indentation elsewhere stay byte-for-byte); new documents are appended in the
// file's own style. The language server turns them into code actions.
//
//   Service   Convert to ClusterIP / NodePort (with a free nodePort) / LoadBalancer / headless;
//             Create an Ingress for this Service
//   workload  Expose with a Service (ClusterIP | NodePort | LoadBalancer);
//             Replace hostPort with a NodePort Service; Replace hostNetwork with a NodePort Service
//   Ingress   Migrate Ingress to networking.k8s.io/v1; Move ingress class annotation to spec.ingressClassName
import { hasOverlappingEdits } from '../engine/apply';
import { editsKeepParsing } from '../engine/combine';
import type { Range } from '../engine/text';
import type { Workspace } from '../engine/workspace';
import type { Refactor, RefactorContext } from './context';
import { createIngressRefactors } from './create-ingress';
import { exposeRefactors, hostNetworkRefactors, hostPortRefactors } from './expose';
import { ingressRefactors } from './ingress';
import { resourcesInRange } from './locate';
import { serviceTypeRefactors } from './service-type';

export type { Refactor } from './context';

const PROVIDERS: ((ctx: RefactorContext) => Refactor[])[] = [
  serviceTypeRefactors,
  createIngressRefactors,
  exposeRefactors,
  hostPortRefactors,
  hostNetworkRefactors,
  ingressRefactors,
];

export interface RefactorOptions {
  /** called when computing a refactor throws (the refactor is left out); tests rethrow */
  onError?: (error: unknown, title: string) => void;
  /** also return the refactors left out because their edits are unsafe, with `disabled` set and no edits */
  includeDisabled?: boolean;
}

/** Why a refactor is left out (see refactorsAt). */
export const LEFT_OUT = {
  overlapping: 'Two of its edits would rewrite the same flow collection ({...} or [...]). Write that collection in block style first.',
  breaksYaml:
    'Its edits would leave the YAML unreadable here (an anchor that an alias still uses, or a layout they were not written for). Edit this part by hand.',
} as const;

/**
 * The refactors that fit the resources under `range` (a cursor or a selection)
 * in file `uri`. With a selection over several resources, each title names its
 * resource.
 */
export function refactorsAt(ws: Workspace, uri: string, range: Range, options: RefactorOptions = {}): Refactor[] {
  const file = ws.file(uri);
  if (!file || file.template || file.skipped) return [];
  const resources = resourcesInRange(file, range);
  const out: Refactor[] = [];
  for (const r of resources) {
    // a document with syntax errors has unreliable ranges: fix the syntax first
    if (r.doc.errors.length) continue;
    const ctx: RefactorContext = { ws, file, r };
    for (const provide of PROVIDERS) {
      let found: Refactor[];
      try {
        found = provide(ctx);
      } catch (e) {
        // a refactor bug must not take the editor's code actions down with it
        options.onError?.(e, `${provide.name} on ${r.kind} ${r.name ?? '<unnamed>'}`);
        found = [];
      }
      for (const f of found) {
        const title = resources.length > 1 ? `${f.title} (${r.kind} ${r.name ?? '<unnamed>'})` : f.title;
        // two edits of one flow collection each rewrite it (set one key, drop another): no editor can apply both;
        // a layout the edits were not written for (an anchor an alias still needs, odd flow styles): better no
        // refactor than a broken file
        const unsafe = hasOverlappingEdits(f.edits, true) ? LEFT_OUT.overlapping : !editsKeepParsing(f.edits, (u) => ws.file(u)?.text) ? LEFT_OUT.breaksYaml : undefined;
        if (!unsafe) out.push(title === f.title ? f : { ...f, title });
        else if (options.includeDisabled) out.push({ title, kind: f.kind, edits: [], disabled: unsafe });
      }
    }
  }
  return out;
}
