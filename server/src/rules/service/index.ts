import type { Rule } from '../../engine/rule';
import endpointsPortMismatch from './endpoints-port-mismatch';
import serviceNoBackends from './service-no-backends';
import serviceSelectorEmpty from './service-selector-empty';
import serviceSelectorNoMatch from './service-selector-no-match';
import serviceTargetportUndeclared from './service-targetport-undeclared';
import serviceTargetportUnnamed from './service-targetport-unnamed';
import serviceTargetportUnresolved from './service-targetport-unresolved';

export const serviceRules: Rule[] = [
  serviceSelectorNoMatch,
  serviceSelectorEmpty,
  serviceNoBackends,
  serviceTargetportUnresolved,
  serviceTargetportUnnamed,
  serviceTargetportUndeclared,
  endpointsPortMismatch,
];
