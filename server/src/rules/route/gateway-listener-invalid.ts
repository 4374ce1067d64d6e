import { gateway, get } from '../../engine/model';
import { isPlainObject } from '../../engine/parse';
import { defineRule } from '../../engine/rule';

// The Gateway CRD's CEL rules on listeners (gateway-api apis/v1/gateway_types.go),
// which the API server enforces on create and update, and the one requirement
// its docs state without a rule: HTTPS and TLS listeners need `tls`.
const NO_TLS = ['HTTP', 'TCP', 'UDP'];
const NO_HOSTNAME = ['TCP', 'UDP'];

export default defineRule({
  id: 'gateway-listener-invalid',
  severity: 'error',
  description: 'A Gateway listener breaks a rule of the Gateway API: a repeated name or port/protocol/hostname, TLS settings its protocol does not allow or lacks, a hostname on TCP or UDP.',
  fixable: false,
  kinds: ['Gateway'],
  check(r, ctx) {
    const gw = gateway(r);
    if (!gw) return;
    const name = `Gateway ${r.name ?? '<unnamed>'}`;
    const seenNames = new Map<string, number>();
    const seenCombos = new Map<string, number>();
    for (const l of gw.listeners) {
      const raw = get(r.value, l.path);
      if (!isPlainObject(raw)) continue;
      const label = l.name ? `listener "${l.name}"` : `listener ${l.index}`;
      if (l.name !== undefined) {
        const first = seenNames.get(l.name);
        if (first !== undefined) {
          ctx.report({
            message: `In ${name}, two listeners are named "${l.name}" (spec.listeners[${first}] and [${l.index}]): the API server refuses the Gateway ("Listener name must be unique within the Gateway").`,
            at: [...l.path, 'name'],
            related: [{ loc: ctx.loc(r, ['spec', 'listeners', first, 'name']), message: `the first listener "${l.name}"` }],
          });
        } else seenNames.set(l.name, l.index);
      }
      if (l.port !== undefined && l.protocol !== undefined) {
        const combo = `${l.port}|${l.protocol}|${l.hostname ?? ''}`;
        const first = seenCombos.get(combo);
        if (first !== undefined) {
          ctx.report({
            message:
              `In ${name}, ${label} repeats port ${l.port}, protocol ${l.protocol} and ${l.hostname ? `hostname ${l.hostname}` : 'no hostname'} of spec.listeners[${first}]: ` +
              `the API server refuses the Gateway ("Combination of port, protocol and hostname must be unique for each listener"). Give one of them a hostname of its own, or merge them.`,
            at: [...l.path, 'port'],
            related: [{ loc: ctx.loc(r, ['spec', 'listeners', first, 'port']), message: `spec.listeners[${first}]` }],
          });
        } else seenCombos.set(combo, l.index);
      }
      const protocol = l.protocol ?? '';
      const tls = raw.tls;
      if (tls !== undefined && tls !== null && NO_TLS.includes(protocol)) {
        ctx.report({
          message: `In ${name}, ${label} has protocol ${protocol} and a tls section: the API server refuses the Gateway ("tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']"). For TLS, use protocol ${protocol === 'HTTP' ? 'HTTPS' : 'TLS'}.`,
          at: [...l.path, 'tls'],
          part: 'key',
        });
      }
      if (isPlainObject(tls) && (protocol === 'HTTPS' || protocol === 'TLS')) {
        const mode = tls.mode === undefined || tls.mode === null || tls.mode === '' ? 'Terminate' : tls.mode;
        if (protocol === 'HTTPS' && mode !== 'Terminate') {
          ctx.report({
            message: `In ${name}, ${label} has protocol HTTPS and tls mode ${String(mode)}: the API server refuses the Gateway ("tls mode must be Terminate for protocol HTTPS"). To pass TLS through to the backends, use protocol TLS with TLSRoutes.`,
            at: [...l.path, 'tls', 'mode'],
          });
        } else if (mode === 'Terminate') {
          const refs = Array.isArray(tls.certificateRefs) ? tls.certificateRefs.length : 0;
          const options = isPlainObject(tls.options) ? Object.keys(tls.options).length : 0;
          if (refs === 0 && options === 0) {
            ctx.report({
              message: `In ${name}, ${label} terminates TLS (mode Terminate${tls.mode === undefined ? ', the default' : ''}) but names no certificate: the API server refuses the Gateway ("certificateRefs or options must be specified when mode is Terminate"). Add the Secret holding the certificate under tls.certificateRefs.`,
              at: [...l.path, 'tls'],
              part: 'key',
            });
          }
        }
      } else if ((tls === undefined || tls === null) && (protocol === 'HTTPS' || protocol === 'TLS')) {
        ctx.report({
          message: `In ${name}, ${label} has protocol ${protocol} but no tls section: the Gateway has no certificate to present${protocol === 'TLS' ? ' nor a mode (Terminate or Passthrough)' : ''}, so implementations do not accept the listener. Add tls.certificateRefs${protocol === 'TLS' ? ', or tls.mode: Passthrough' : ''}.`,
          at: [...l.path, 'protocol'],
          severity: 'warning',
        });
      }
      if (l.hostname && NO_HOSTNAME.includes(protocol)) {
        ctx.report({
          message: `In ${name}, ${label} has protocol ${protocol} and hostname ${l.hostname}: the API server refuses the Gateway ("hostname must not be specified for protocols ['TCP', 'UDP']"); ${protocol} carries no host name to match.`,
          at: [...l.path, 'hostname'],
        });
      }
    }
  },
});
