/**
 * The contract's floor, a diagnostic: protocol-relay.mjs (the anchors' WS relay speaking our WebSocket protocol, six
 * frames per `1+1` instead of the relay's one) driven by the same client code as our server (ws-probe.ts), with the
 * server suite's counts: the `1+1` round trip (1.) and the 8 sessions × 50 round (5.). Our server against it is what
 * our implementation costs; it against the anchors' relay is what the protocol costs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { AnchorLib, Stats } from './anchors.js';
import type { BenchConfig } from './config.js';
import { log, withTimeout } from './log.js';
import { expectOk, roundSummary } from './probe.js';
import { WorkerTracker } from './workers.js';
import { ApiSocket } from './ws-probe.js';

/**
 * Unmeasured `1+1`s on one session between 1. and 5.: before their 5, the anchors' relay has relayed input round trips,
 * prints and 40 MB of output, and our server has served 1 to 4, so both have V8's optimized code for their hot paths.
 * Without these the protocol relay's 5 measured its JIT warming up (1.66x the anchors' relay in one bench, 1.2-1.4x
 * after 1,000 executions).
 */
const WARMUP_BEFORE_CONCURRENCY = { full: 1000, quick: 50 };

export interface ProtocolFloorResults {
  note: string;
  ws_rtt: { warmup: number; to_reply: Stats; to_result: Stats; messages_per_execution: number };
  concurrency: ReturnType<typeof roundSummary> & { warmed_up_with: number };
  /** Processes of the relay run (the relay and its pythons) left after it stopped: must be none. */
  left_behind: number[];
}

/** `onSpawn` gets the relay's pid, for the bench's emergency stop. */
export async function measureProtocolFloor(cfg: BenchConfig, lib: AnchorLib, onSpawn: (pid: number) => void = () => undefined): Promise<ProtocolFloorResults> {
  const tracker = new WorkerTracker((pid) => lib.procAlive(pid), 'protocol-floor');
  const child = spawn(process.execPath, [join(cfg.projectRoot, 'bench', 'protocol-relay.mjs'), '--python', cfg.python], {
    cwd: cfg.projectRoot,
    env: tracker.env(),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  if (child.pid) onSpawn(child.pid);
  const sockets: ApiSocket[] = [];
  try {
    const port = await withTimeout(listeningPort(child), cfg.timeouts.serverStartMs, 'protocol relay start');
    const target = { token: 'unused', wsUrl: () => `ws://127.0.0.1:${port}/ws` };
    const open = async (): Promise<ApiSocket> => {
      const sock = await ApiSocket.open(target, { timeoutMs: cfg.timeouts.wsOpenMs });
      sockets.push(sock);
      return sock;
    };
    const { counts: c, timeouts: t } = cfg;
    const run = async (sock: ApiSocket) => expectOk(await sock.execute('1+1', { timeoutMs: t.executeMs }), 'protocol relay 1+1', '2');

    log('[protocol relay] 1. ws `1+1` round trip');
    const one = await open();
    for (let i = 0; i < c.rttWarmup; i++) await run(one);
    const reply: number[] = [];
    const result: number[] = [];
    let messages = 0;
    for (let i = 0; i < c.rttRuns; i++) {
      const r = await run(one);
      reply.push(r.tReply);
      result.push(r.tResult ?? NaN);
      messages += r.messages;
    }
    const ws_rtt = { warmup: c.rttWarmup, to_reply: lib.stats(reply), to_result: lib.stats(result), messages_per_execution: messages / c.rttRuns };
    log(`  p50 ${ws_rtt.to_reply.median_ms} ms`);

    const warm = cfg.quick ? WARMUP_BEFORE_CONCURRENCY.quick : WARMUP_BEFORE_CONCURRENCY.full;
    for (let i = 0; i < warm; i++) await run(one);
    log(`[protocol relay] 5. ${c.concSessions} sessions × ${c.concOps} \`1+1\` (after ${warm} more unmeasured on one session)`);
    const socks = await Promise.all(Array.from({ length: c.concSessions }, open));
    for (const s of socks) for (let i = 0; i < c.concWarmup; i++) await run(s);
    const perOp: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      socks.map(async (s) => {
        for (let i = 0; i < c.concOps; i++) perOp.push((await run(s)).tReply);
      }),
    );
    const concurrency = {
      ...roundSummary({ sessions: c.concSessions, opsPerSession: c.concOps, warmupPerSession: c.concWarmup }, perOp, performance.now() - t0, lib),
      warmed_up_with: warm,
    };
    log(`  wall ${concurrency.wall_ms} ms`);
    return {
      note: 'protocol-relay.mjs: the anchors\' WS relay design, sending the frames our server sends for 1+1 (batched into one write per execution), driven by ws-probe.ts',
      ws_rtt,
      concurrency,
      left_behind: await stop(child, sockets, tracker),
    };
  } catch (err) {
    await stop(child, sockets, tracker);
    throw err;
  }
}

function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve((JSON.parse(buf.slice(0, nl)) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`protocol relay exited (${code}) before listening`)));
  });
}

/** Closes the sockets, stops the relay (SIGTERM, then SIGKILL) and returns whatever of its run is still alive. */
async function stop(child: ChildProcess, sockets: ApiSocket[], tracker: WorkerTracker): Promise<number[]> {
  tracker.scan();
  await Promise.allSettled(sockets.map((s) => s.close(2_000)));
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await withTimeout(exited, 5_000, 'protocol relay stop').catch(() => child.kill('SIGKILL'));
  }
  const left = await tracker.leftovers(3_000);
  if (left.length > 0) tracker.killAll();
  return left;
}
