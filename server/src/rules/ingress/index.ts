import type { Rule } from '../../engine/rule';

export const ingressRules: Rule[] = [];
