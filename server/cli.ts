/**
 * The `pyrepl` command line:
 *   serve [options]   the API server (headless): REST + WebSocket on one port
 *   start             the main job: the desktop app where Electron is installed, else `serve`
 *   info              where the running server is and its token (from its runtime file)
 *   exec CODE         run CODE in a fresh session, as `python3 -c CODE` would (cli-exec.ts)
 *   python            which interpreter the workers use, and why
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isPyreplError } from '../protocol/errors.js';
import { OPTIONS, parseArgsOptions, resolveConfig } from './config.js';
import { findElectronBinary, planStart } from './electron-binary.js';
import { PACKAGE_ROOT } from './paths.js';
import { listRuntimeFiles, removeRuntimeFile, runtimeDir, writeRuntimeFile } from './runtime-file.js';

const VERSION = '0.1.0';

// Each command imports what it needs when it runs (the server's modules take ~200 ms to load): `pyrepl exec`, `info`
// and `python` start as fast as the session layer allows.

function usage(): string {
  const width = Math.max(...Object.values(OPTIONS).map((o) => o.flag.length)) + 4;
  const lines = Object.values(OPTIONS).map(
    (o) => `  --${o.flag.padEnd(width)} ${o.help} [${o.env}${o.default !== null && o.default !== false && String(o.default) !== '' ? `, default ${String(o.default)}` : ''}]`,
  );
  return `usage: pyrepl <command> [options]

commands:
  serve        run the API server headless (REST + WebSocket on one port)
  start        run the desktop app where Electron is installed, else the server
  info         print the running server's URL and token (for local scripts)
  exec CODE    run CODE in a fresh Python session, as python3 -c CODE would (- reads it from stdin)
  python       show which Python interpreter the workers use

serve options (each also from its environment variable):
${lines.join('\n')}
`;
}

async function serve(args: string[], how: string): Promise<number> {
  const { values } = parseArgs({ args, options: { ...parseArgsOptions(), help: { type: 'boolean', short: 'h' } }, allowPositionals: false });
  if (values.help) {
    process.stdout.write(usage());
    return 0;
  }
  const config = resolveConfig(values as Record<string, string | boolean | string[] | undefined>);
  const { startServer } = await import('./app.js');
  const server = await startServer(config, { version: VERSION });
  const dir = runtimeDir(config.stateDir);
  const file = writeRuntimeFile(dir, {
    url: server.url,
    host: server.host,
    port: server.port,
    pid: process.pid,
    token: server.token,
    started_at: new Date().toISOString(),
    version: VERSION,
  });
  // Listening for signals before the banner says we are up: a script that waits for it and then stops us must get
  // the clean shutdown (runtime file removed, no worker left), not the default death by signal.
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stdout.write(`\n${signal}: shutting down (closing sessions)...\n`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGHUP', () => stop('SIGHUP')); // the terminal that started it went away
    // A closed stdout (`| head`, a gone terminal) must not crash the server and skip the cleanup below.
    process.stdout.on('error', () => undefined);
  });
  process.stdout.write(
    `${how}\n` +
      `PyREPL3 API server: ${server.url}\n` +
      `  open the terminal: ${server.url}/#token=${encodeURIComponent(server.token)}\n` +
      `  token: ${config.tokenGenerated ? `in ${file} (or run \`npx pyrepl info\`)` : 'the one you gave (--token / PYREPL_TOKEN)'}\n` +
      `  docs:  ${server.url}/docs    health: ${server.url}/health\n` +
      `  WebSocket: ${server.url.replace(/^http/, 'ws')}/ws\n` +
      'Press Ctrl+C to stop.\n',
  );
  await stopped;
  removeRuntimeFile(file);
  await server.close();
  return 0;
}

/** The main job: the desktop app where an Electron binary exists, else the server headless (saying why). */
async function start(args: string[]): Promise<number> {
  const plan = planStart(findElectronBinary(PACKAGE_ROOT, process.env), existsSync(join(PACKAGE_ROOT, 'dist', 'electron', 'main.js')));
  if (plan.kind === 'serve') return serve(args, `${plan.why}\nRunning the API server headless instead: open the terminal link below in a browser.`);
  if (args.length > 0) process.stdout.write(`(options are for the headless server; the app picks its own port and token: ignoring ${args.join(' ')})\n`);
  process.stdout.write(`Opening the PyREPL3 desktop app (Electron: ${plan.binary})\n`);
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // set, it would make the binary a plain Node instead of the app
  const child = spawn(plan.binary, [PACKAGE_ROOT], { stdio: 'inherit', env, windowsHide: false });
  // Ctrl+C in this terminal reaches the app too (same process group); SIGTERM/SIGHUP sent to us are passed on.
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on('SIGTERM', forward('SIGTERM'));
  process.on('SIGHUP', forward('SIGHUP'));
  process.on('SIGINT', () => undefined);
  return new Promise<number>((resolve) => {
    child.once('error', (err) => {
      process.stderr.write(`pyrepl: could not start Electron (${plan.binary}): ${err.message}\n`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function info(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, 'state-dir': { type: 'string' } } });
  const servers = listRuntimeFiles(runtimeDir(values['state-dir'] ?? process.env.PYREPL_STATE_DIR ?? null));
  if (servers.length === 0) {
    process.stderr.write('pyrepl: no running server found (start one with `npx pyrepl serve`).\n');
    return 1;
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(servers.map((s) => s.info), null, 2)}\n`);
    return 0;
  }
  for (const { file, info: s } of servers) {
    process.stdout.write(`${s.url}  pid ${s.pid}  started ${s.started_at}\n  token: ${s.token}\n  file:  ${file}\n`);
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(rest, 'Running the API server headless.');
    case 'start':
      return start(rest);
    case 'info':
      return info(rest);
    case 'exec':
      return (await import('./cli-exec.js')).execCommand(rest);
    case 'python': {
      const { values } = parseArgs({ args: rest, options: { python: { type: 'string' } } });
      const { findPython } = await import('./session/python-discovery.js');
      const found = await findPython({ explicit: values.python });
      process.stdout.write(`${found.path} (Python ${found.version.join('.')}, from ${found.source}${found.via ? `: ${found.via} runs it` : ''})\n`);
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(usage());
      return command ? 0 : 2;
    default:
      process.stderr.write(`pyrepl: unknown command '${command}'\n\n${usage()}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`pyrepl: ${isPyreplError(err) ? err.message : String(err instanceof Error ? err.stack : err)}\n`);
    process.exitCode = 1;
  },
);
