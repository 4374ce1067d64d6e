import { defineRule } from '../../engine/rule';

// Reported by the engine for files it does not check (size, binary content,
// encoding), once, on line 1. Helm templates are counted, not reported.
export default defineRule({
  id: 'file-skipped',
  severity: 'information',
  description: 'A YAML file was not checked because it is too large, binary, or not UTF-8.',
  fixable: false,
  kinds: [],
  check() {},
});
