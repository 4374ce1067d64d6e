import type { Rule } from '../../engine/rule';
import routeBackendNotPermitted from './route-backend-not-permitted';
import routeBackendPortMissing from './route-backend-port-missing';
import routeBackendServiceMissing from './route-backend-service-missing';
import routeNotAttached from './route-not-attached';
import routeRuleInvalid from './route-rule-invalid';

export const routeRules: Rule[] = [routeRuleInvalid, routeNotAttached, routeBackendServiceMissing, routeBackendPortMissing, routeBackendNotPermitted];
