import type { Rule } from '../../engine/rule';
import serviceExternalIps from './service-external-ips';
import serviceExternalnameInvalid from './service-externalname-invalid';
import serviceNodeportDuplicate from './service-nodeport-duplicate';
import serviceNodeportRange from './service-nodeport-range';
import servicePortDuplicate from './service-port-duplicate';
import servicePortNameRequired from './service-port-name-required';
import serviceTypeMismatch from './service-type-mismatch';

export const serviceSpecRules: Rule[] = [
  servicePortNameRequired,
  servicePortDuplicate,
  serviceNodeportRange,
  serviceNodeportDuplicate,
  serviceTypeMismatch,
  serviceExternalnameInvalid,
  serviceExternalIps,
];
