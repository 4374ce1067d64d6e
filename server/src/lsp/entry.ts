// Entry point bundled as dist/server.js (VS Code starts it with --node-ipc):
// loads the server, dist/server-main.js, through V8's code cache.
import { join } from 'node:path';
import { codeCacheDir, loadBundle } from '../node/codeCache';

loadBundle(join(__dirname, 'server-main.js'), codeCacheDir());
