// Validators compiled ahead of time, by schema reference. The bundles replace
// this module with the code scripts/gen-validators.ts generates (see
// scripts/build.mjs); from source (tests run with tsx) there are none and the
// schemas are compiled on first use.
import type { ValidateFunction } from 'ajv';

export const PRECOMPILED: Record<string, ValidateFunction> | undefined = undefined;
