import type { Rule } from '../../engine/rule';
import ingressBackendPortMissing from './ingress-backend-port-missing';
import ingressBackendServiceMissing from './ingress-backend-service-missing';
import ingressClassAnnotation from './ingress-class-annotation';
import ingressClassConflict from './ingress-class-conflict';
import ingressClassUnknown from './ingress-class-unknown';
import ingressDeprecatedApi from './ingress-deprecated-api';
import ingressPathtypeMissing from './ingress-pathtype-missing';
import ingressRuleInvalid from './ingress-rule-invalid';

export const ingressRules: Rule[] = [
  ingressBackendServiceMissing,
  ingressBackendPortMissing,
  ingressDeprecatedApi,
  ingressPathtypeMissing,
  ingressRuleInvalid,
  ingressClassConflict,
  ingressClassAnnotation,
  ingressClassUnknown,
];
