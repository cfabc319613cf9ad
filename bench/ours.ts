/**
 * Our side of the comparison: the runtime core (Session, SessionPool) measured with the floor's method, code strings
 * and counts (see README.md). Every session it opens is closed before it returns, also on failure.
 */
import { Session, SessionPool } from './product.js';
import type { AnchorLib, ProcMem, Stats } from './anchors.js';
import { streamCode, type BenchConfig } from './config.js';
import { procCpuMs, selfCpuMs } from './cpu.js';
import { log, r3, sleep, withTimeout } from './log.js';
import { expectOk, probe, roundSummary } from './probe.js';
import type { WorkerTracker } from './workers.js';

export interface OursResults {
  python: string;
  python_version: string | null;
  a_cold_start: Stats & {
    note: string;
    session_create: Stats;
    runs: { total_to_first_result_ms: number | null; session_create_ms: number | null; to_reply_ms: number | null }[];
  };
  b_rtt: { code: string; warmup: number; to_reply: Stats; to_result: Stats; worker_execution_time: Stats };
  b2_pool_acquire: { min_idle: number; max_sessions: number; acquire: Stats; wait_for_refill: Stats; note: string };
  c_stream: {
    expected_chars: number;
    stdout_chars: number;
    all_bytes_arrived: boolean;
    status: string;
    error: string | null;
    time_to_reply_ms: number | null;
    time_to_first_byte_ms: number | null;
    worker_execution_time_ms: number | null;
    /** CPU used during the rep (ms): the worker's (10 ms resolution) and this Node process's. */
    worker_cpu_ms: number | null;
    node_cpu_ms: number | null;
    mb_per_s: number | null;
    output_events: number;
  }[];
  d_input_rtt: { code: string; warmup: number; to_reply: Stats; to_input_request: Stats; last_value_seen_by_python: string | null };
  e_memory: { worker_idle_after_first_reply: ProcMem; worker_after_streaming: ProcMem };
  f_concurrency: {
    sessions: number;
    ops_per_session: number;
    warmup_per_session: number;
    total_ops: number;
    wall_ms: number | null;
    ops_per_s: number | null;
    per_op: Stats;
    worker_VmRSS_kB_sum: number;
    worker_Pss_kB_sum: number;
  };
  g_print_latency: {
    lines_expected: number;
    lines_received: number;
    output_events: number;
    print_to_client_latency: Stats;
  };
}

export class OursSuite {
  private readonly open = new Set<Session>();
  private readonly c: BenchConfig['counts'];
  private readonly t: BenchConfig['timeouts'];

  constructor(
    private readonly cfg: BenchConfig,
    private readonly lib: AnchorLib,
    private readonly workers: WorkerTracker,
  ) {
    this.c = cfg.counts;
    this.t = cfg.timeouts;
  }

  async run(): Promise<OursResults> {
    try {
      return await this.measure();
    } finally {
      await this.closeAll();
    }
  }

  private async measure(): Promise<OursResults> {
    const { lib } = this;
    log('[ours] a. cold start');
    const a_cold_start = await this.coldStart();
    log(`  median ${a_cold_start.median_ms} ms`);

    const s = await this.openSession();
    const python_version = s.info().python_version;
    log('[ours] e. idle memory');
    expectOk(await probe(s, '1', { timeoutMs: this.t.executeMs }), 'first execute', '1');
    await sleep(this.c.idleSettleMs);
    const idleMem = lib.procMem(this.pidOf(s));
    log(`  VmRSS ${idleMem.VmRSS_kB} kB`);
    log('[ours] b. 1+1 round trip');
    const b_rtt = await this.rtt(s);
    log(`  p50 ${b_rtt.to_reply.median_ms} ms p99 ${b_rtt.to_reply.p99_ms} ms`);
    log('[ours] d. input');
    const d_input_rtt = await this.inputRtt(s);
    log(`  p50 ${d_input_rtt.to_reply.median_ms} ms`);
    log('[ours] g. print latency');
    const g_print_latency = await this.printLatency(s);
    log(`  median ${g_print_latency.print_to_client_latency.median_ms} ms max ${g_print_latency.print_to_client_latency.max_ms} ms`);
    log(`[ours] c. stream ${this.c.streamLines * 100} bytes`);
    const c_stream = await this.stream(s);
    await sleep(500);
    const afterStream = lib.procMem(this.pidOf(s));
    await this.closeSession(s);

    log('[ours] f. concurrency');
    const f_concurrency = await this.concurrency();
    log(`  wall ${f_concurrency.wall_ms} ms, per-op median ${f_concurrency.per_op.median_ms} ms`);
    log('[ours] b2. pool acquire');
    const b2_pool_acquire = await this.poolAcquire();
    log(`  p50 ${b2_pool_acquire.acquire.median_ms} ms p99 ${b2_pool_acquire.acquire.p99_ms} ms`);

    return {
      python: this.cfg.python,
      python_version,
      a_cold_start,
      b_rtt,
      b2_pool_acquire,
      c_stream,
      d_input_rtt,
      e_memory: { worker_idle_after_first_reply: idleMem, worker_after_streaming: afterStream },
      f_concurrency,
      g_print_latency,
    };
  }

  // ------------------------------------------------------------------------------------------------ metrics

  /** a. Session.create → result of `1`; each session closed before the next. */
  private async coldStart(): Promise<OursResults['a_cold_start']> {
    const runs: OursResults['a_cold_start']['runs'] = [];
    const totals: number[] = [];
    const creates: number[] = [];
    for (let i = 0; i < this.c.coldStartRuns; i++) {
      const t0 = performance.now();
      const s = await this.openSession();
      const created = performance.now() - t0;
      const r = expectOk(await probe(s, '1', { timeoutMs: this.t.executeMs }), 'cold start `1`', '1');
      const total = created + (r.tResult ?? NaN);
      totals.push(total);
      creates.push(created);
      runs.push({ total_to_first_result_ms: r3(total), session_create_ms: r3(created), to_reply_ms: r3(created + r.tReply) });
      await this.closeSession(s);
    }
    return {
      ...this.lib.stats(totals),
      note: 'Session.create({python}) (spawn + ready) + execute("1") until its result event',
      session_create: this.lib.stats(creates),
      runs,
    };
  }

  /** b. `1+1` on a warm session: execute() → execute_reply. */
  private async rtt(s: Session): Promise<OursResults['b_rtt']> {
    const code = '1+1';
    for (let i = 0; i < this.c.rttWarmup; i++) expectOk(await probe(s, code, { timeoutMs: this.t.executeMs }), code, '2');
    const reply: number[] = [];
    const result: number[] = [];
    const inWorker: number[] = [];
    for (let i = 0; i < this.c.rttRuns; i++) {
      const r = expectOk(await probe(s, code, { timeoutMs: this.t.executeMs }), code, '2');
      reply.push(r.tReply);
      result.push(r.tResult ?? NaN);
      inWorker.push(r.workerMs ?? NaN);
    }
    return {
      code,
      warmup: this.c.rttWarmup,
      to_reply: this.lib.stats(reply),
      to_result: this.lib.stats(result),
      worker_execution_time: this.lib.stats(inWorker),
    };
  }

  /** d. `x = input('p')`, answered as soon as the request arrives. */
  private async inputRtt(s: Session): Promise<OursResults['d_input_rtt']> {
    const code = "x = input('p')";
    for (let i = 0; i < this.c.inputWarmup; i++) {
      expectOk(await probe(s, code, { timeoutMs: this.t.executeMs, inputValue: () => `w${i}` }), code);
    }
    const reply: number[] = [];
    const request: number[] = [];
    let last = '';
    for (let i = 0; i < this.c.inputRuns; i++) {
      last = `v${i}`;
      const r = expectOk(await probe(s, code, { timeoutMs: this.t.executeMs, inputValue: () => `v${i}` }), code);
      if (r.inputsAnswered !== 1) throw new Error(`${code}: ${r.inputsAnswered} input requests, expected 1`);
      reply.push(r.tReply);
      request.push(r.tInputRequest ?? NaN);
    }
    const check = expectOk(await probe(s, 'x', { timeoutMs: this.t.executeMs }), 'x after input');
    if (this.c.inputRuns > 0 && check.resultRepr !== `'${last}'`) {
      throw new Error(`input: python saw ${check.resultRepr}, expected '${last}'`);
    }
    return {
      code,
      warmup: this.c.inputWarmup,
      to_reply: this.lib.stats(reply),
      to_input_request: this.lib.stats(request),
      last_value_seen_by_python: check.resultRepr,
    };
  }

  /** g. The anchors' PRINT_LATENCY_CODE: arrival (epoch) minus the time.time() printed. */
  private async printLatency(s: Session): Promise<OursResults['g_print_latency']> {
    const r = expectOk(
      await probe(s, this.lib.PRINT_LATENCY_CODE, { timeoutMs: this.t.executeMs, lineLatency: this.lib }),
      'print latency',
    );
    const lat = r.lineLatencies ?? [];
    if (lat.length !== this.lib.PRINT_LATENCY_LINES) {
      throw new Error(`print latency: ${lat.length} timed lines arrived, expected ${this.lib.PRINT_LATENCY_LINES}`);
    }
    return {
      lines_expected: this.lib.PRINT_LATENCY_LINES,
      lines_received: lat.length,
      output_events: r.outputEvents,
      print_to_client_latency: this.lib.stats(lat),
    };
  }

  /** c. 200k × 100-char lines; every char must arrive. Not a bench failure when they do not: the table says so. */
  private async stream(s: Session): Promise<OursResults['c_stream']> {
    const code = streamCode(this.c.streamLines);
    const expected = this.c.streamLines * 100;
    const reps: OursResults['c_stream'] = [];
    for (let i = 0; i < this.c.streamReps; i++) {
      const pid = this.pidOf(s);
      const cpu0 = { worker: procCpuMs(pid), node: selfCpuMs() };
      const r = await probe(s, code, { timeoutMs: this.t.streamMs });
      const cpu1 = { worker: procCpuMs(pid), node: selfCpuMs() };
      const rep = {
        expected_chars: expected,
        stdout_chars: r.stdoutChars,
        all_bytes_arrived: r.stdoutChars === expected,
        status: r.status,
        error: r.error ? `${r.error.exception}: ${r.error.message}` : null,
        time_to_reply_ms: r3(r.tReply),
        time_to_first_byte_ms: r3(r.tFirstStdout),
        worker_execution_time_ms: r3(r.workerMs),
        worker_cpu_ms: cpu0.worker != null && cpu1.worker != null ? r3(cpu1.worker - cpu0.worker) : null,
        node_cpu_ms: r3(cpu1.node - cpu0.node),
        mb_per_s: r3(r.stdoutChars / 1e6 / (r.tReply / 1000)),
        output_events: r.outputEvents,
      };
      reps.push(rep);
      log(`  stream rep ${i + 1}: ${rep.stdout_chars}/${expected} chars in ${rep.time_to_reply_ms} ms (${rep.mb_per_s} MB/s, ${rep.output_events} events, ${rep.status}; worker's execution_time ${rep.worker_execution_time_ms} ms; CPU worker ${rep.worker_cpu_ms} ms, node ${rep.node_cpu_ms} ms)`);
    }
    return reps;
  }

  /** f. N sessions, each running M sequential `1+1` at the same time. */
  private async concurrency(): Promise<OursResults['f_concurrency']> {
    const n = this.c.concSessions;
    const started = await Promise.allSettled(Array.from({ length: n }, () => this.openSession()));
    const sessions = started.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
    const failed = started.find((p): p is PromiseRejectedResult => p.status === 'rejected');
    if (failed) throw failed.reason;
    for (const s of sessions) {
      for (let i = 0; i < this.c.concWarmup; i++) expectOk(await probe(s, '1+1', { timeoutMs: this.t.executeMs }), '1+1', '2');
    }
    const perOp: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      sessions.map(async (s) => {
        for (let i = 0; i < this.c.concOps; i++) {
          perOp.push(expectOk(await probe(s, '1+1', { timeoutMs: this.t.executeMs }), '1+1', '2').tReply);
        }
      }),
    );
    const wall = performance.now() - t0;
    const mem = sessions.map((s) => this.lib.procMem(this.pidOf(s)));
    for (const s of sessions) await this.closeSession(s);
    return {
      ...roundSummary({ sessions: n, opsPerSession: this.c.concOps, warmupPerSession: this.c.concWarmup }, perOp, wall, this.lib),
      worker_VmRSS_kB_sum: mem.reduce((a, m) => a + (m.VmRSS_kB ?? 0), 0),
      worker_Pss_kB_sum: mem.reduce((a, m) => a + (m.Pss_kB ?? 0), 0),
    };
  }

  /** b2. pool.acquire() while an idle session is ready; release, then wait until the pool is back at min_idle. */
  private async poolAcquire(): Promise<OursResults['b2_pool_acquire']> {
    const { poolMinIdle: minIdle, poolMaxSessions: maxSessions, poolSamples } = this.c;
    const pool = new SessionPool({ minIdle, maxSessions, session: { python: this.cfg.python, env: this.workers.env() } });
    const startFailures: string[] = [];
    pool.on('start_failed', (err) => startFailures.push(err.message));
    const acquire: number[] = [];
    const refill: number[] = [];
    try {
      await withTimeout(pool.start(), this.t.startMs, 'pool.start()');
      this.workers.scan();
      for (let i = 0; i < poolSamples; i++) {
        const w0 = performance.now();
        await this.waitFor(() => pool.stats().idle >= minIdle, this.t.poolRefillMs, () =>
          `pool back at min_idle ${minIdle} (stats ${JSON.stringify(pool.stats())}${startFailures.length ? `; start failures: ${startFailures.join(' | ')}` : ''})`,
        );
        refill.push(performance.now() - w0);
        const t0 = performance.now();
        const s = await pool.acquire();
        acquire.push(performance.now() - t0);
        this.workers.note(s.pid);
        try {
          if (i === 0) expectOk(await probe(s, '1+1', { timeoutMs: this.t.executeMs }), 'pooled 1+1', '2');
        } finally {
          await pool.release(s);
        }
        this.workers.scan();
      }
    } finally {
      this.workers.scan();
      await withTimeout(pool.shutdown(), this.t.startMs, 'pool.shutdown()');
    }
    return {
      min_idle: minIdle,
      max_sessions: maxSessions,
      acquire: this.lib.stats(acquire),
      wait_for_refill: this.lib.stats(refill),
      note: 'time of `await pool.acquire()` with min_idle sessions idle; each session released (destroyed) and the pool let refill before the next sample',
    };
  }

  // ------------------------------------------------------------------------------------------------ sessions

  private async openSession(): Promise<Session> {
    const s = await withTimeout(
      Session.create({ python: this.cfg.python, env: this.workers.env() }),
      this.t.startMs,
      'Session.create()',
    );
    this.open.add(s);
    this.workers.note(s.pid);
    return s;
  }

  private async closeSession(s: Session): Promise<void> {
    this.open.delete(s);
    await withTimeout(s.close(), this.t.startMs, 'session.close()');
  }

  private async closeAll(): Promise<void> {
    const sessions = [...this.open];
    this.open.clear();
    await Promise.allSettled(sessions.map((s) => withTimeout(s.close(), this.t.startMs, 'session.close()')));
  }

  private pidOf(s: Session): number {
    const pid = s.pid;
    if (!pid) throw new Error(`session ${s.id} has no worker pid (state ${s.state})`);
    return pid;
  }

  private async waitFor(check: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!check()) {
      if (performance.now() > deadline) throw new Error(`timeout after ${timeoutMs} ms waiting for ${what()}`);
      await sleep(2);
    }
  }
}

/** A quick check that a real worker answers, before minutes are spent on the anchors. */
export async function preflight(cfg: BenchConfig, workers: WorkerTracker): Promise<string | null> {
  const s = await withTimeout(Session.create({ python: cfg.python, env: workers.env() }), cfg.timeouts.startMs, 'Session.create()');
  workers.note(s.pid);
  try {
    expectOk(await probe(s, '1+1', { timeoutMs: cfg.timeouts.executeMs }), 'preflight 1+1', '2');
    return s.info().python_version;
  } finally {
    await withTimeout(s.close(), cfg.timeouts.startMs, 'session.close()');
  }
}
