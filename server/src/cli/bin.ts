// Entry point bundled as dist/cli.js.
export { runMain } from './main';
