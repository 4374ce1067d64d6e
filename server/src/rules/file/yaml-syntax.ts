import { defineRule } from '../../engine/rule';

// Reported by the engine while parsing (see Workspace.diagnostics); this module
// carries the rule's id, severity and description like every other rule.
export default defineRule({
  id: 'yaml-syntax',
  severity: 'error',
  description: 'The YAML of a file holding Kubernetes documents cannot be parsed.',
  fixable: false,
  kinds: [],
  check() {},
});
