import rule from '../../server/src/rules/route/gateway-listener-invalid';
import { ruleTester } from '../rule-tester';

/** A Gateway with the given listeners (YAML list items). */
const gw = (listeners: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: public
spec:
  gatewayClassName: example
  listeners:
${listeners.replace(/^/gm, '    ')}
`;

const HTTP = '- name: http\n  protocol: HTTP\n  port: 80';
const HTTPS = '- name: https\n  protocol: HTTPS\n  port: 443\n  tls:\n    certificateRefs:\n      - name: example-com';

ruleTester(rule, {
  valid: [
    { name: 'HTTP and HTTPS with a certificate', code: gw(`${HTTP}\n${HTTPS}`) },
    { name: 'one port, two hostnames', code: gw(`${HTTPS}\n  hostname: a.example.com\n- name: https-b\n  protocol: HTTPS\n  port: 443\n  hostname: b.example.com\n  tls:\n    certificateRefs:\n      - name: b`) },
    { name: 'TLS passthrough needs no certificate', code: gw('- name: tls\n  protocol: TLS\n  port: 443\n  hostname: db.example.com\n  tls:\n    mode: Passthrough') },
    { name: 'TLS terminate with implementation options', code: gw('- name: tls\n  protocol: TLS\n  port: 443\n  tls:\n    mode: Terminate\n    options:\n      example.com/cert: vault') },
    { name: 'TCP and UDP on one port', code: gw('- name: dns-tcp\n  protocol: TCP\n  port: 53\n- name: dns-udp\n  protocol: UDP\n  port: 53') },
    { name: "another group's Gateway (Istio) is something else", code: gw(`${HTTP}\n${HTTP}`).replace('gateway.networking.k8s.io/v1', 'networking.istio.io/v1beta1') },
  ],
  invalid: [
    {
      name: 'two listeners of one name',
      code: gw(`${HTTP}\n- name: http\n  protocol: HTTP\n  port: 8080`),
      errors: [
        {
          message: 'In Gateway public, two listeners are named "http" (spec.listeners[0] and [1]): the API server refuses the Gateway ("Listener name must be unique within the Gateway").',
          line: 11,
          column: 13,
          related: 1,
        },
      ],
    },
    {
      name: 'the same port, protocol and (no) hostname twice',
      code: gw(`${HTTP}\n- name: http-2\n  protocol: HTTP\n  port: 80`),
      errors: [{ message: /listener "http-2" repeats port 80, protocol HTTP and no hostname of spec\.listeners\[0\]: the API server refuses the Gateway/, line: 13, column: 13 }],
    },
    {
      name: 'tls on an HTTP listener',
      code: gw(`${HTTP}\n  tls:\n    certificateRefs:\n      - name: x`),
      errors: [{ message: /listener "http" has protocol HTTP and a tls section: .* For TLS, use protocol HTTPS\.$/, line: 11, column: 7, endColumn: 10 }],
    },
    {
      name: 'HTTPS without a certificate',
      code: gw('- name: https\n  protocol: HTTPS\n  port: 443\n  tls: {}'),
      errors: [{ message: /listener "https" terminates TLS \(mode Terminate, the default\) but names no certificate: the API server refuses the Gateway/ }],
    },
    {
      name: 'HTTPS passthrough',
      code: gw('- name: https\n  protocol: HTTPS\n  port: 443\n  tls:\n    mode: Passthrough'),
      errors: [{ message: /has protocol HTTPS and tls mode Passthrough: .*use protocol TLS with TLSRoutes\.$/ }],
    },
    {
      name: 'HTTPS without tls: a warning (the docs require it; no CEL rule does)',
      code: gw('- name: https\n  protocol: HTTPS\n  port: 443'),
      errors: [{ message: /has protocol HTTPS but no tls section: .* Add tls\.certificateRefs\.$/, severity: 'warning', line: 9 }],
    },
    {
      name: 'a hostname on TCP',
      code: gw('- name: db\n  protocol: TCP\n  port: 5432\n  hostname: db.example.com'),
      errors: [{ message: /has protocol TCP and hostname db\.example\.com: the API server refuses the Gateway/ }],
    },
  ],
});
