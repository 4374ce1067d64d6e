import { isMap, isScalar } from 'yaml';
import { removeKey, replaceScalar } from '../../engine/edits';
import { podTemplate } from '../../engine/model';
import { defineRule, type Fix } from '../../engine/rule';
import { describe } from '../util';
import { containerText, TEMPLATE_KINDS } from './host-ports';

// POD-08 (Pods: hostPort is defaulted to containerPort when 0, D-10, so any
// other non-zero value is wrong) and POD-09 (templates: 0/absent allowed, any
// other value must equal containerPort). The API checks app containers only.
export default defineRule({
  id: 'pod-hostnetwork-port-mismatch',
  severity: 'error',
  description: 'With hostNetwork, a hostPort must equal its containerPort (or be left out); the API server rejects any other value.',
  fixable: true,
  kinds: TEMPLATE_KINDS,
  check(r, ctx) {
    const t = podTemplate(r);
    if (!t || !t.hostNetwork) return;
    for (const c of t.containers) {
      if (c.list !== 'containers') continue;
      for (const p of c.ports) {
        if (p.hostPort === undefined || p.containerPort === undefined || p.containerPort <= 0) continue;
        if (p.hostPort === p.containerPort) continue;
        const containerPort = p.containerPort;
        const fixes = (): Fix[] => {
          const hostPortNode = r.nodeAt([...p.path, 'hostPort']);
          const portMap = r.nodeAt(p.path);
          const out: Fix[] = [];
          if (isScalar(hostPortNode)) {
            out.push({
              title: `Set hostPort to ${containerPort} (the containerPort)`,
              isPreferred: true,
              edits: [replaceScalar(r.chunk, hostPortNode, containerPort)],
            });
          }
          if (isMap(portMap)) {
            const edit = removeKey(r.chunk, portMap, 'hostPort');
            if (edit) out.push({ title: 'Remove hostPort', edits: [edit] });
          }
          return out;
        };
        const what = t.isPod ? describe(r) : `the pod template of ${describe(r)}`;
        ctx.report({
          message:
            `hostPort ${p.hostPort} of ${containerText(c)} differs from its containerPort ${p.containerPort}, but ${what} uses hostNetwork: ` +
            `the process listens on node port ${p.containerPort} itself, nothing maps ${p.hostPort} to it, and the API server rejects the mismatch. ` +
            `Use hostPort ${p.containerPort} or leave it out.`,
          at: [...p.path, 'hostPort'],
          fixes,
        });
      }
    }
  },
});
