#!/usr/bin/env node
'use strict';
const { join } = require('node:path');
// dist/cli.js through V8's code cache (server/src/node/codeCache.ts)
const { codeCacheDir, loadBundle } = require('../dist/load.js');
loadBundle(join(__dirname, '..', 'dist', 'cli.js'), codeCacheDir()).exports.runMain();
