import type { Rule } from '../../engine/rule';

export const serviceSpecRules: Rule[] = [];
