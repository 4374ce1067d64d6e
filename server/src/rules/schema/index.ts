import type { Rule } from '../../engine/rule';

export const schemaRules: Rule[] = [];
