import type { Rule } from '../../engine/rule';
import schema from './schema';

export const schemaRules: Rule[] = [schema];
