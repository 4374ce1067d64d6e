import type { Rule } from '../../engine/rule';
import serviceSelectorNoMatch from './service-selector-no-match';

export const serviceRules: Rule[] = [serviceSelectorNoMatch];
