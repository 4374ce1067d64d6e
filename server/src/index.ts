// The engine's public API: transport-free, pure (texts in; resources, links,
// diagnostics and fixes out). The CLI and the language server are built on it.
import { DEFAULT_CONFIG, type EngineConfig } from './engine/config';
import { Workspace } from './engine/workspace';
import { ALL_RULES, fileSkipped, yamlSyntax } from './rules';

export function createWorkspace(config: EngineConfig = DEFAULT_CONFIG, rules = ALL_RULES): Workspace {
  return new Workspace({
    rules: rules.filter((r) => r !== yamlSyntax && r !== fileSkipped),
    config,
    syntaxRule: yamlSyntax,
    skippedRule: fileSkipped,
  });
}

export { ALL_RULES, ruleById } from './rules';
export { Workspace, type Diagnostic, type FileState } from './engine/workspace';
export * from './engine/config';
export { applyEdits, OverlappingEditsError } from './engine/apply';
export { combineFixes } from './engine/combine';
export type { Rule, RuleMeta, Finding, Fix } from './engine/rule';
export { docsUrl } from './engine/rule';
