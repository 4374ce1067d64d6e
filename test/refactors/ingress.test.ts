// Ingress rewrites: migration to networking.k8s.io/v1, ingress class annotation -> spec.ingressClassName.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyAndCheck, FILE, lineOf, pick, refactorsOn, titles, toCrlf, type Files } from './helpers';

const SERVICES = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
    - name: http
      port: 80
    - name: alt
      port: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector: {app: api}
  ports:
    - name: http
      port: 80
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
`;

const LEGACY = `# Shop entry point.
apiVersion: extensions/v1beta1 # still the old API
kind: Ingress
metadata:
  name: shop
  annotations:
    kubernetes.io/ingress.class: nginx # picked by the platform team
spec:
  # everything else goes to the storefront
  backend:
    serviceName: web # storefront
    servicePort: 80
  rules:
    - host: shop.example.com
      http:
        paths:
          # the API
          - path: /api
            backend:
              serviceName: api
              servicePort: http # named port
`;

const MIGRATE = 'Migrate Ingress to networking.k8s.io/v1';
const MOVE = 'Move ingress class annotation to spec.ingressClassName';
const on = (files: Files, opts: Parameters<typeof refactorsOn>[2] = {}) => refactorsOn(files, lineOf(files[opts.uri ?? FILE], 'kind: Ingress'), opts);
const filesOf = (text: string): Files => ({ [FILE]: text, 'k8s/services.yaml': SERVICES });
const clean = [{ kind: 'Ingress', name: 'shop' }];

describe('refactors: Ingress', () => {
  it('offers the migration and the class move on an old Ingress with the annotation', () => {
    const rs = on(filesOf(LEGACY));
    assert.deepEqual(titles(rs), [MIGRATE, MOVE]);
    assert.equal(rs[0].isPreferred, true);
    assert.ok(rs.every((r) => r.kind === 'refactor.rewrite'));
  });

  it('migrates to networking.k8s.io/v1: exact output', () => {
    const files = filesOf(LEGACY);
    const out = applyAndCheck(files, pick(on(files), MIGRATE));
    assert.equal(
      out[FILE],
      `# Shop entry point.
apiVersion: networking.k8s.io/v1 # still the old API
kind: Ingress
metadata:
  name: shop
  annotations:
    kubernetes.io/ingress.class: nginx # picked by the platform team
spec:
  # everything else goes to the storefront
  defaultBackend:
    service:
      name: web # storefront
      port:
        number: 80
  rules:
    - host: shop.example.com
      http:
        paths:
          # the API
          - path: /api
            pathType: ImplementationSpecific
            backend:
              service:
                name: api
                port:
                  name: http # named port
`,
    );
    // after both refactors, the Ingress is clean
    const moved = applyAndCheck(out, pick(on(out), MOVE), { clean, removedComments: ['# picked by the platform team'] });
    assert.match(moved[FILE], /metadata:\n {2}name: shop\nspec:\n {2}ingressClassName: nginx\n {2}# everything else/);
  });

  it('moves the class annotation, keeping the other annotations: exact output', () => {
    const text = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  annotations:
    nginx.ingress.kubernetes.io/ssl-redirect: "true" # https only
    kubernetes.io/ingress.class: "nginx"
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  name: http
`;
    const files = filesOf(text);
    const rs = on(files);
    assert.deepEqual(titles(rs), [MOVE]);
    const out = applyAndCheck(files, rs[0], { clean });
    assert.equal(
      out[FILE],
      text.replace('    kubernetes.io/ingress.class: "nginx"\n', '').replace('spec:\n  rules:', 'spec:\n  ingressClassName: nginx\n  rules:'),
    );
  });

  it('with keepClassAnnotation, copies instead of moving', () => {
    const text = LEGACY.replace('extensions/v1beta1', 'networking.k8s.io/v1beta1');
    const files = filesOf(text);
    const config = { ingress: { keepClassAnnotation: true } };
    const r = pick(on(files, { config }), 'Copy ingress class annotation to spec.ingressClassName');
    const out = applyAndCheck(files, r, { config });
    assert.match(out[FILE], /kubernetes.io\/ingress.class: nginx/);
    assert.match(out[FILE], /ingressClassName: nginx/);
  });

  it('only removes the annotation when spec.ingressClassName already says the same; nothing when they differ', () => {
    const same = LEGACY.replace('spec:\n', 'spec:\n  ingressClassName: nginx\n');
    const out = applyAndCheck(filesOf(same), pick(on(filesOf(same)), MOVE), { removedComments: ['# picked by the platform team'] });
    assert.doesNotMatch(out[FILE], /annotations|ingress\.class/);
    assert.equal((out[FILE].match(/ingressClassName/g) ?? []).length, 1);
    const differ = LEGACY.replace('spec:\n', 'spec:\n  ingressClassName: traefik\n');
    assert.deepEqual(titles(on(filesOf(differ))), [MIGRATE]);
    const gce = LEGACY.replace('ingress.class: nginx', 'ingress.class: gce');
    assert.deepEqual(titles(on(filesOf(gce))), [MIGRATE]);
  });

  it('offers nothing on a v1 Ingress without the annotation', () => {
    const text = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: web
      port:
        number: 80
`;
    assert.deepEqual(titles(on(filesOf(text))), []);
  });

  it('keeps CRLF line endings', () => {
    const files = filesOf(toCrlf(LEGACY));
    for (const r of on(files)) applyAndCheck(files, r, { removedComments: ['# picked by the platform team'] });
  });
});
