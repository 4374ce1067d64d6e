// Entry point bundled as dist/server.js (VS Code starts it with --node-ipc).
import { startServer } from './server';

startServer(process.argv.slice(2));
