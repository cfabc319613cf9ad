// Instructions per WebSocket `1+1` in the server's first few thousand executions, counted by valgrind (callgrind): a
// measure of the server's own work that does not move with the scheduler, the other processes or the host, as times
// do on a shared 2-vCPU VM (where single benches of the same code differ by 30% or more). Two server lives, one with
// --from executions and one with --to; the difference in the main thread's instructions, divided by the difference in
// executions, is the cost of one execution between the two counts (start-up and shutdown cancel out). Repeated runs of
// the same code differ by up to about 10% over 200..1000 (when V8 compiles and collects garbage still shifts a little),
// less over longer spans; the count of the compiler and GC threads moves more, and is shown only as a guide.
//
// `--relay` counts bench/protocol-relay.mjs instead of our server: the bare relay of the same wire protocol (the same
// six frames per `1+1`, no sessions, log or flow control), to see how much of our server's count the protocol itself
// takes.
//
// Not part of `npm run bench` (it needs valgrind, and a server under valgrind runs ~50x slower): run it by hand, after
// `npm run build`, to compare two versions of the server.
//   node bench/instructions.mjs [--from 200] [--to 3000] [--root DIR] [--python PATH] [--relay]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const { values } = parseArgs({
  options: {
    from: { type: 'string', default: '200' },
    to: { type: 'string', default: '3000' },
    root: { type: 'string', default: resolve(import.meta.dirname, '..') },
    python: { type: 'string', default: process.env.PYREPL_PYTHON ?? 'python3' },
    relay: { type: 'boolean', default: false },
  },
});
const from = Number(values.from);
const to = Number(values.to);
if (!(from >= 1 && to > from)) throw new Error('--from and --to: counts with from < to');
if (spawnSync('valgrind', ['--version']).status !== 0) {
  console.error('valgrind is not installed (Debian: apt-get install valgrind)');
  process.exit(2);
}
const TOKEN = 'instructions-bench-token';
const target = values.relay
  ? { name: 'the protocol relay', args: [join(values.root, 'bench', 'protocol-relay.mjs'), '--python', values.python], path: '/' }
  : {
      name: 'our server',
      args: [join(values.root, 'bin', 'pyrepl.mjs'), 'serve', '--port', '0', '--token', TOKEN, '--min-idle', '0', '--log-level', 'silent'],
      path: '/ws',
    };

/** The server's base URL from its start-up output: ours prints it, the relay prints {"port": N}. */
function listeningUrl(out) {
  const url = out.match(/http:\/\/127\.0\.0\.1:\d+/);
  if (url) return url[0];
  const port = out.match(/"port": ?(\d+)/);
  return port ? `http://127.0.0.1:${port[1]}` : null;
}

/** One server life under callgrind with `count` sequential `1+1`s on one session: its threads' instruction totals. */
async function serverLife(count) {
  const dir = mkdtempSync(join(tmpdir(), 'pyrepl-cg-'));
  const server = spawn(
    'valgrind',
    ['--tool=callgrind', '--smc-check=all-non-file', '--separate-threads=yes', `--callgrind-out-file=${dir}/cg`, process.execPath, ...target.args],
    // stdin stays open: the relay ends when it closes.
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PYREPL_PYTHON: values.python } },
  );
  let out = '';
  const url = await new Promise((res, rej) => {
    const look = (d) => {
      out += d;
      const url = listeningUrl(out);
      if (url) res(url);
    };
    server.stdout.on('data', look);
    server.stderr.on('data', look);
    server.once('exit', () => rej(new Error(`the server exited before listening:\n${out.slice(-2000)}`)));
  });
  const ws = new WebSocket(`${url.replace('http', 'ws')}${target.path}`, { headers: { authorization: `Bearer ${TOKEN}` }, perMessageDeflate: false });
  let next = null;
  ws.on('message', (data) => {
    const type = JSON.parse(data.toString()).type;
    if (type === 'session_created' || type === 'execute_reply') next?.();
  });
  await new Promise((r) => (next = r));
  for (let i = 0; i < count; i++) await new Promise((r) => {
    next = r;
    ws.send(JSON.stringify({ type: 'execute', code: '1+1' }));
  });
  ws.close();
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await exited;
  // callgrind writes one file per thread: <file>-01 is the main thread.
  const totals = readdirSync(dir).map((f) => {
    const m = readFileSync(join(dir, f), 'utf8').match(/^summary: (\d+)/m);
    return { thread: f.slice(f.lastIndexOf('-') + 1), instructions: m ? Number(m[1]) : 0 };
  });
  rmSync(dir, { recursive: true, force: true });
  const main = totals.find((t) => t.thread === '01')?.instructions ?? 0;
  return { main, all: totals.reduce((a, t) => a + t.instructions, 0) };
}

const a = await serverLife(from);
const b = await serverLife(to);
const per = (x, y) => Math.round((y - x) / (to - from) / 1000);
console.log(`instructions per WebSocket 1+1 on ${target.name}, executions ${from}..${to} of its life (root ${values.root}):`);
console.log(`  main thread ${per(a.main, b.main)}k, all threads ${per(a.all, b.all)}k (V8's compiler and GC threads included)`);
