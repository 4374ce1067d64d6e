import type { Rule } from '../../engine/rule';
import podHostExposure from './pod-host-exposure';
import podHostnetworkPortMismatch from './pod-hostnetwork-port-mismatch';
import podHostportConflict from './pod-hostport-conflict';
import podHostportScaling from './pod-hostport-scaling';
import statefulsetServiceMismatch from './statefulset-service-mismatch';
import workloadSelectorMismatch from './workload-selector-mismatch';

export const podRules: Rule[] = [workloadSelectorMismatch, podHostportConflict, podHostnetworkPortMismatch, podHostportScaling, podHostExposure, statefulsetServiceMismatch];
