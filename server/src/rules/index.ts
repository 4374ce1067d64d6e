// The rule registry. Each group's index lists its modules; adding a rule means
// adding its module to its group, nothing else.
import type { Rule } from '../engine/rule';
import fileSkipped from './file/file-skipped';
import yamlSyntax from './file/yaml-syntax';
import { ingressRules } from './ingress';
import { podRules } from './pod';
import { routeRules } from './route';
import { serviceRules } from './service';
import { serviceSpecRules } from './service-spec';
import { schemaRules } from './schema';

export { fileSkipped, yamlSyntax };

/** Every rule, in documentation order. */
export const ALL_RULES: readonly Rule[] = [...serviceRules, ...serviceSpecRules, ...podRules, ...ingressRules, ...routeRules, ...schemaRules, yamlSyntax, fileSkipped];

export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((r) => r.id === id);
}
