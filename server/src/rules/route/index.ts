import type { Rule } from '../../engine/rule';
import routeBackendPortMissing from './route-backend-port-missing';
import routeBackendServiceMissing from './route-backend-service-missing';

export const routeRules: Rule[] = [routeBackendServiceMissing, routeBackendPortMissing];
