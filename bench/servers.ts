// The two servers the benchmark runs, and how each is configured.
import { join } from 'node:path';
import { uriOf, type ServerSpec } from './lsp';

export const ROOT = join(__dirname, '..');

/**
 * kube-expose's language server, as editors start it, with its V8 code cache
 * in `codeCache` (a folder, or '0' for none: the first start after install).
 */
export function kubeExpose(codeCache = join(ROOT, '.cache', 'bench', 'code-cache')): ServerSpec {
  return {
    name: 'kube-expose',
    command: [process.execPath, join(ROOT, 'bin', 'kube-expose.js'), 'lsp', '--stdio'],
    settings: () => ({}),
    env: { KUBE_EXPOSE_CODE_CACHE: codeCache },
  };
}

/**
 * Red Hat's yaml-language-server with a Kubernetes schema served from a local
 * file (it cannot download one here): every *.yaml file is validated against
 * it; the CRD store and the schema store are off (both would go to the network).
 */
export function yamlLanguageServer(schemaPath: string): ServerSpec {
  const yaml = {
    validate: true,
    hover: true,
    completion: true,
    format: { enable: false },
    // The generated workspaces live under .cache/: picomatch's `**` skips dot folders, so name it.
    schemas: { [uriOf(schemaPath)]: ['*.yaml', '*.yml', '.cache/**/*.yaml'] },
    kubernetesCRDStore: { enable: false },
    schemaStore: { enable: false },
    maxItemsComputed: 5000,
  };
  return {
    name: 'yaml-language-server',
    command: [process.execPath, join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'), '--stdio'],
    settings: (section) => (section === 'yaml' ? yaml : {}),
    pushSettings: { yaml },
  };
}
