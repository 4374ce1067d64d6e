// The Gateway API rules: Gateway listeners, and the routes attached to them and
// their backends.
import type { Rule } from '../../engine/rule';
import gatewayListenerInvalid from './gateway-listener-invalid';
import routeBackendNotPermitted from './route-backend-not-permitted';
import routeBackendPortMissing from './route-backend-port-missing';
import routeBackendServiceMissing from './route-backend-service-missing';
import routeNotAttached from './route-not-attached';
import routeRuleInvalid from './route-rule-invalid';

export const routeRules: Rule[] = [gatewayListenerInvalid, routeRuleInvalid, routeNotAttached, routeBackendServiceMissing, routeBackendPortMissing, routeBackendNotPermitted];
