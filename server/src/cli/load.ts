// Bundled as dist/load.js for bin/kube-expose.js: loads dist/cli.js through V8's code cache.
export { codeCacheDir, loadBundle } from '../node/codeCache';
