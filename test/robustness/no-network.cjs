// Preload (`node --require`) for the security tests: every way out of the
// process (sockets, HTTP, DNS, fetch, UDP, child processes) is replaced by a
// stub that records the call in $KX_TRAP_LOG and throws. The stdio transport
// of the language server uses the already open pipes, which none of this
// touches, so a session still works: anything recorded is a leak.
'use strict';
const fs = require('node:fs');

const log = process.env.KX_TRAP_LOG;

function trap(what) {
  return function trapped() {
    const line = `${what} ${JSON.stringify([...arguments].map((a) => (typeof a === 'function' ? 'fn' : a)), (k, v) => (typeof v === 'bigint' ? String(v) : v)).slice(0, 300)}\n`;
    try {
      if (log) fs.appendFileSync(log, line);
    } catch {
      // nothing to record into
    }
    throw new Error(`kube-expose test trap: ${what} is not allowed`);
  };
}

function replace(mod, names, prefix) {
  for (const name of names) {
    if (typeof mod[name] === 'function') {
      try {
        mod[name] = trap(`${prefix}.${name}`);
      } catch {
        Object.defineProperty(mod, name, { value: trap(`${prefix}.${name}`), configurable: true, writable: true });
      }
    }
  }
}

const net = require('node:net');
replace(net, ['connect', 'createConnection', 'createServer'], 'net');
net.Socket.prototype.connect = trap('net.Socket.connect');
const tls = require('node:tls');
replace(tls, ['connect', 'createServer'], 'tls');
replace(require('node:http'), ['request', 'get', 'createServer'], 'http');
replace(require('node:https'), ['request', 'get', 'createServer'], 'https');
replace(require('node:http2'), ['connect', 'createServer', 'createSecureServer'], 'http2');
const dns = require('node:dns');
replace(dns, ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveSrv', 'resolveTxt', 'reverse'], 'dns');
replace(dns.promises, ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveSrv', 'resolveTxt', 'reverse'], 'dns.promises');
replace(require('node:dgram'), ['createSocket'], 'dgram');
replace(require('node:child_process'), ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'], 'child_process');
globalThis.fetch = trap('fetch');
if (globalThis.WebSocket) globalThis.WebSocket = trap('WebSocket');
