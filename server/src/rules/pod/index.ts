import type { Rule } from '../../engine/rule';

export const podRules: Rule[] = [];
