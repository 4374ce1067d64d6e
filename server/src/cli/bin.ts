// Entry point bundled as dist/cli.js: runs when executed (`node dist/cli.js ...`),
// and exports runMain for bin/kube-expose.js.
import { runMain } from './main';

export { runMain };

declare const require: NodeJS.Require;
declare const module: NodeJS.Module;
if (typeof require !== 'undefined' && require.main === module) runMain();
