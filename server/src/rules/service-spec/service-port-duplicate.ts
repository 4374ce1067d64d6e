// SVC-07: port names are unique within a Service, whatever the protocol.
// SVC-08: (port, protocol) pairs are unique; 53/TCP next to 53/UDP is fine (SVC-08v).
// The API reports the later entry; so do we, pointing at the earlier one.
import { isPlainObject } from '../../engine/parse';
import { defineRule } from '../../engine/rule';
import { intOf, isCoreService, portName, protocolOf, rawPorts, suggestPortNames } from './shared';

export default defineRule({
  id: 'service-port-duplicate',
  severity: 'error',
  description: 'Two ports of a Service share a name, or the same port number and protocol; the API server refuses it.',
  fixable: false,
  kinds: ['Service'],
  check(r, ctx) {
    if (!isCoreService(r)) return;
    const ports = rawPorts(r);
    if (ports.length < 2) return;
    const svc = `Service ${r.name ?? '<unnamed>'}`;
    const firstByName = new Map<string, number>();
    const firstByPort = new Map<string, number>();
    ports.forEach((p, j) => {
      if (!isPlainObject(p)) return;
      const name = portName(p);
      if (typeof name === 'string') {
        const i = firstByName.get(name);
        if (i === undefined) firstByName.set(name, j);
        else {
          const other = ports[i] as Record<string, any>;
          const sameProto = protocolOf(other) === protocolOf(p);
          const suggestion = suggestPortNames(ports, new Set([j])).get(j);
          ctx.report({
            message:
              `${svc} has two ports named "${name}": ports[${i}] (${portOf(other)}) and ports[${j}] (${portOf(p)}). ` +
              `Port names must be unique within a Service${sameProto ? '' : ', even when the protocols differ'}, so the API server refuses it.` +
              (suggestion ? ` Rename this one, for example to "${suggestion}".` : ''),
            at: ['spec', 'ports', j, 'name'],
            related: [{ loc: ctx.loc(r, ['spec', 'ports', i, 'name']), message: `first port named "${name}"` }],
          });
        }
      }
      const port = intOf(p.port);
      if (port === undefined) return;
      const key = `${port}/${protocolOf(p)}`;
      const i = firstByPort.get(key);
      if (i === undefined) {
        firstByPort.set(key, j);
        return;
      }
      const other = ports[i] as Record<string, any>;
      const differentTarget = String(other.targetPort ?? port) !== String(p.targetPort ?? port);
      ctx.report({
        message:
          `${svc} lists port ${key} twice: ports[${i}] and ports[${j}]. Each port number may appear once per protocol, ` +
          `so the API server refuses it. ${differentTarget ? 'To reach both targets, give this entry another port number.' : 'Remove this entry, or change its port or protocol.'}`,
        at: ['spec', 'ports', j, 'port'],
        related: [{ loc: ctx.loc(r, ['spec', 'ports', i, 'port']), message: `port ${key} first listed here` }],
      });
    });
  },
});

function portOf(p: Record<string, any>): string {
  const port = intOf(p.port);
  return port !== undefined ? `${port}/${protocolOf(p)}` : `no port, ${protocolOf(p)}`;
}
