// Types of scripts/bundles.mjs, for the TypeScript that imports it (bench/client.ts).
import type { BuildOptions } from 'esbuild';

export declare function commonOptions(minify: boolean): BuildOptions;

export interface Bundle {
  entryPoints: string[];
  outfile: string;
  external?: string[];
  /** part of the VS Code client (the benchmark measures these) */
  client?: boolean;
}

export declare const bundles: Bundle[];
