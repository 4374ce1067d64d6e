// The `kube-expose` command line: `check` (CI mode) and `lsp` (the language
// server over stdio for any editor).
import { parseArgs } from 'node:util';
import pkg from '../../../package.json';
import { ALL_RULES } from '../index';
import { ConfigError, parseNodePortRange, type ConfigFile, type ConflictScope } from '../engine/config';
import { runCheck, UsageError } from './check';
import { formatJson, formatSarif, formatText } from './format';

const HELP = `kube-expose ${pkg.version}: catch Kubernetes exposure mistakes (Services, Ingresses, nodePorts, hostPorts)

Usage:
  kube-expose check [paths... | -] [options]   check manifests (folders are searched for *.yaml/*.yml)
  kube-expose lsp --stdio                      run the language server over stdio (any LSP editor)
  kube-expose rules                            list the rules
  kube-expose --help | --version

Options for check:
  --format text|json|sarif        output format (default text)
  --config FILE                   configuration file (default: nearest .kube-expose.yaml upward)
  --node-port-range A-B           the cluster's node port range (default 30000-32767)
  --conflict-scope file|directory|workspace
                                  which files are applied together for nodePort/hostPort conflicts
  --default-namespace NS          namespace of resources without one (default "default")
  --fix                           apply the preferred fix of each finding in place
  --max-warnings N                exit 1 when there are more than N warnings
  --no-color                      plain text output

Exit status: 0 no errors (and warnings within --max-warnings), 1 errors or too many warnings,
2 usage, configuration or I/O error.
`;

function fail(message: string): never {
  process.stderr.write(`kube-expose: ${message}\n`);
  process.exit(2);
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function check(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        config: { type: 'string' },
        'node-port-range': { type: 'string' },
        'conflict-scope': { type: 'string' },
        'default-namespace': { type: 'string' },
        fix: { type: 'boolean', default: false },
        'max-warnings': { type: 'string' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
      },
    });
  } catch (e) {
    fail(`${(e as Error).message} (see kube-expose --help)`);
  }
  const v = parsed.values;
  if (!['text', 'json', 'sarif'].includes(v.format!)) fail(`--format must be text, json or sarif, not "${v.format}"`);
  if (v['conflict-scope'] && !['file', 'directory', 'workspace'].includes(v['conflict-scope'])) {
    fail(`--conflict-scope must be file, directory or workspace, not "${v['conflict-scope']}"`);
  }
  let maxWarnings = Infinity;
  if (v['max-warnings'] !== undefined) {
    if (!/^\d+$/.test(v['max-warnings'])) fail(`--max-warnings must be a whole number, not "${v['max-warnings']}"`);
    maxWarnings = Number(v['max-warnings']);
  }
  const overrides: ConfigFile = {};
  try {
    if (v['node-port-range']) {
      parseNodePortRange(v['node-port-range']);
      overrides.nodePortRange = v['node-port-range'];
    }
  } catch (e) {
    fail(`--${(e as Error).message}`);
  }
  if (v['conflict-scope']) overrides.conflictScope = v['conflict-scope'] as ConflictScope;
  if (v['default-namespace']) overrides.defaultNamespace = v['default-namespace'];

  const paths = parsed.positionals;
  const stdin = paths.includes('-') ? await readStdin() : undefined;
  if (v.fix && paths.includes('-')) fail('--fix cannot write to stdin input');
  const tty = process.stderr.isTTY;
  let lastProgress = 0;
  let run;
  try {
    run = runCheck({
      paths,
      stdin,
      configFile: v.config,
      overrides,
      fix: !!v.fix,
      progress: tty
        ? (done, total) => {
            const now = Date.now();
            if (total >= 200 && (now - lastProgress > 100 || done === total)) {
              lastProgress = now;
              process.stderr.write(`\rkube-expose: read ${done}/${total} files${done === total ? '\n' : ''}`);
            }
          }
        : undefined,
    });
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UsageError) fail(e.message);
    throw e;
  }
  const { report } = run;
  const color = v['no-color'] ? false : (v.color ?? (process.stdout.isTTY && !process.env.NO_COLOR));
  let out: string;
  if (v.format === 'json') out = formatJson(report);
  else if (v.format === 'sarif') out = formatSarif(report, ALL_RULES, pkg.version);
  else out = formatText(report, !!color);
  process.stdout.write(out + '\n');
  if (v.fix && run.appliedFixes) {
    process.stderr.write(`kube-expose: applied ${run.appliedFixes} ${run.appliedFixes === 1 ? 'fix' : 'fixes'} in ${run.fixedFiles.join(', ')}\n`);
  }
  for (const d of report.diagnostics) if (d.rule === 'file-skipped') process.stderr.write(`kube-expose: ${report.display(d.uri)}: ${d.message}\n`);
  if (report.summary.errors > 0) return 1;
  if (report.summary.warnings > maxWarnings) return 1;
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    case '-v':
    case '--version':
      process.stdout.write(`${pkg.version}\n`);
      return 0;
    case 'check':
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(HELP);
        return 0;
      }
      return check(rest);
    case 'rules':
      for (const r of ALL_RULES) process.stdout.write(`${r.id.padEnd(34)} ${r.severity.padEnd(12)} ${r.fixable ? 'fix ' : '    '} ${r.description}\n`);
      return 0;
    case 'lsp': {
      const { startServer } = await import('../lsp/server');
      startServer(rest);
      return -1; // keeps running
    }
    default:
      fail(`unknown command "${command}" (see kube-expose --help)`);
  }
}

export function runMain(): void {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`kube-expose: internal error: ${(e as Error).stack ?? e}\n`);
      process.exit(2);
    },
  );
}
