/**
 * The API server's side of the comparison: `pyrepl serve` in its own process, driven over the public WebSocket and
 * REST API with the floor's code strings, counts and statistics where the floor has them (see README.md, "The API
 * server"). The server is stopped with SIGTERM at the end, also on failure, and every process it started must be gone.
 */
import type { AnchorLib, Stats } from './anchors.js';
import { streamCode, type BenchConfig } from './config.js';
import { childPids, procCpuMs, selfCpuMs } from './cpu.js';
import { log, r3, sleep } from './log.js';
import { RssSampler, vmKb, type RssGrowth } from './rss.js';
import { ServerProcess, type ServerStop } from './server-process.js';
import { WorkerTracker } from './workers.js';
import { expectOk, roundSummary } from './probe.js';
import { ApiSocket, type WsProbeResult } from './ws-probe.js';

export interface StreamRep {
  expected_chars: number;
  stdout_chars: number;
  all_bytes_arrived: boolean;
  status: string;
  time_to_reply_ms: number | null;
  time_to_first_byte_ms: number | null;
  mb_per_s: number | null;
  output_events: number;
  messages: number;
  /** CPU during the rep (ms): the server process, its workers, and this bench process (the client). */
  server_cpu_ms: number | null;
  workers_cpu_ms: number | null;
  client_cpu_ms: number | null;
  server_rss: RssGrowth;
}

export interface CpuPerOp {
  /** The server's main thread (the event loop). */
  server_main_ms: number | null;
  /** The whole server process: the main thread plus V8's compiler/GC threads and libuv's pool. */
  server_ms: number | null;
  workers_ms: number | null;
  client_ms: number | null;
}

export interface ServerResults {
  server: {
    args: string[];
    pid: number;
    url: string;
    start_ms: number | null;
    min_idle: number;
    max_sessions: number;
    rss_at_start_kB: number | null;
    rss_before_stop_kB: number | null;
    stop: ServerStop | null;
    /** Processes of this server run (the server and its workers) seen alive at some point, and those left after the stop. */
    processes_seen: number;
    left_behind: number[];
    cpu_profile_dir: string | null;
  };
  s1_ws_rtt: {
    code: string;
    warmup: number;
    to_reply: Stats;
    to_result: Stats;
    to_accepted: Stats;
    messages_per_execution: number;
    /** CPU per execution over the measured runs (ms): the server process, its workers, this bench process (client). */
    cpu_per_execution: CpuPerOp;
  };
  s2_ws_input: {
    code: string;
    warmup: number;
    to_reply: Stats;
    to_input_request: Stats;
    messages_per_execution: number;
    last_value_seen_by_python: string | null;
  };
  s3_one_shot: {
    code: string;
    warmup: number;
    min_idle: number;
    to_response: Stats;
    /** Before each call: how long until /health showed min_idle idle sessions again. */
    wait_for_warm: Stats;
    note: string;
  };
  s3_rest_session: { code: string; warmup: number; to_response: Stats; note: string };
  /** Output in binary frames (`?output=binary`), as the terminal takes it: the target's measurement. */
  s4_stream: StreamRep[];
  /** The same with output in JSON text frames (the default for scripts): a diagnostic. */
  s4_stream_json: StreamRep[];
  s4_print_latency: { lines_expected: number; lines_received: number; output_events: number; print_to_client_latency: Stats };
  s4_stalled_observer: {
    owner: StreamRep;
    observer: {
      stdout_chars: number;
      output_dropped: { notices: number; bytes: number; events: number };
      got_output_dropped: boolean;
      /** Received + reported dropped = what was printed: nothing vanished without notice. */
      chars_plus_dropped: number;
      consistent: boolean;
      /** resume() → the observer's execute_reply (ms). */
      drain_ms: number | null;
    };
  };
  s5_concurrency: {
    sessions: number;
    ops_per_session: number;
    warmup_per_session: number;
    total_ops: number;
    wall_ms: number | null;
    ops_per_s: number | null;
    per_op: Stats;
    cpu_per_op: CpuPerOp;
    /**
     * Diagnostic, not the measurement: the same round LATER_ROUNDS more times on the same sessions, in order. The
     * server's JIT recompiles its hot path during the first rounds after the streaming tests (V8 deoptimized it on
     * their large frames), so these show how much of the measured round was that and what a warm server does.
     */
    later_rounds_wall_ms: number[];
  };
  s6_observers: {
    sessions: number;
    observers_per_session: number;
    clients_total: number;
    clients_ok: number;
    expected_chars_per_client: number;
    chars_received_total: number;
    chars_expected_total: number;
    clients_with_output_dropped: number;
    wall_ms: number | null;
    failures: string[];
    server_rss: RssGrowth;
  };
}

/** Unmeasured repeats of the concurrency round, for the warm-up diagnostic (each takes about a tenth of a second). */
const LATER_ROUNDS = 4;

export class ServerSuite {
  private readonly tracker: WorkerTracker;
  private server: ServerProcess | null = null;
  private readonly sockets = new Set<ApiSocket>();
  private readonly s: BenchConfig['server'];
  private readonly c: BenchConfig['counts'];
  private readonly t: BenchConfig['timeouts'];

  constructor(
    private readonly cfg: BenchConfig,
    private readonly lib: AnchorLib,
  ) {
    this.tracker = new WorkerTracker((pid) => lib.procAlive(pid), 'server');
    this.s = cfg.server;
    this.c = cfg.counts;
    this.t = cfg.timeouts;
  }

  /** Pids of this server run still alive (for the emergency exit). */
  killAll(): number[] {
    return this.tracker.killAll();
  }

  async run(): Promise<ServerResults> {
    const t0 = performance.now();
    const server = await ServerProcess.start({
      projectRoot: this.cfg.projectRoot,
      python: this.cfg.python,
      minIdle: this.s.minIdle,
      maxSessions: this.s.maxSessions,
      tracker: this.tracker,
      cpuProfDir: this.s.cpuProfDir,
      startTimeoutMs: this.t.serverStartMs,
    });
    this.server = server;
    const startMs = performance.now() - t0;
    log(`[server] pid ${server.pid} at ${server.url} in ${r3(startMs)} ms`);
    let measured: Omit<ServerResults, 'server'> | null = null;
    let failure: unknown = null;
    let rssBeforeStop: number | null = null;
    const rssAtStart = vmKb(server.pid, 'VmRSS');
    try {
      measured = await this.measure(server);
    } catch (err) {
      failure = err;
    } finally {
      rssBeforeStop = vmKb(server.pid, 'VmRSS');
      await Promise.allSettled([...this.sockets].map((s) => s.close(2_000)));
      this.sockets.clear();
    }
    this.tracker.scan();
    const stop = await server.stop(this.t.serverStopMs);
    const left = await this.tracker.leftovers(3_000);
    if (left.length > 0) {
      log(`[server] LEFT BEHIND after SIGTERM: pid(s) ${left.join(' ')}; killing them`);
      this.tracker.killAll();
    } else {
      log(`[server] stopped in ${stop.stop_ms} ms (${stop.exit}); no process left (${this.tracker.seenCount} pid(s) seen: the server and its workers)`);
    }
    if (failure) throw failure;
    if (!measured) throw new Error('server suite produced nothing');
    return {
      server: {
        args: server.args.map((a) => (a === server.token ? '<token>' : a)),
        pid: server.pid,
        url: server.url,
        start_ms: r3(startMs),
        min_idle: this.s.minIdle,
        max_sessions: this.s.maxSessions,
        rss_at_start_kB: rssAtStart,
        rss_before_stop_kB: rssBeforeStop,
        stop,
        processes_seen: this.tracker.seenCount,
        left_behind: left,
        cpu_profile_dir: this.s.cpuProfDir,
      },
      ...measured,
    };
  }

  private async measure(server: ServerProcess): Promise<Omit<ServerResults, 'server'>> {
    await this.settlePool(server);
    this.tracker.scan();

    const a = await this.open({});
    expectOk(await a.execute('1', { timeoutMs: this.t.executeMs }), 'first ws execute', '1');
    await this.settlePool(server);
    this.tracker.scan();
    log('[server] 1. ws `1+1` round trip');
    const s1_ws_rtt = await this.wsRtt(a);
    log(`  p50 ${s1_ws_rtt.to_reply.median_ms} ms (result ${s1_ws_rtt.to_result.median_ms} ms) p99 ${s1_ws_rtt.to_reply.p99_ms} ms`);
    log('[server] 2. ws input()');
    const s2_ws_input = await this.wsInput(a);
    log(`  p50 ${s2_ws_input.to_reply.median_ms} ms`);
    log('[server] 4. print latency over ws');
    const s4_print_latency = await this.printLatency(a);
    log(`  median ${s4_print_latency.print_to_client_latency.median_ms} ms max ${s4_print_latency.print_to_client_latency.max_ms} ms`);
    log(`[server] 4. stream ${this.c.streamLines * 100} chars over ws`);
    const s4_stream: StreamRep[] = [];
    for (let i = 0; i < this.c.streamReps; i++) {
      s4_stream.push(await this.streamRep(server, a, this.c.streamLines));
      this.logRep(`rep ${i + 1}`, s4_stream.at(-1)!);
    }
    log(`[server] 4. stream ${this.c.streamLines * 100} chars over ws, output in JSON text frames (diagnostic)`);
    const j = await this.open({ output: 'json' });
    const s4_stream_json: StreamRep[] = [];
    try {
      expectOk(await j.execute('1', { timeoutMs: this.t.executeMs }), 'first ws execute (JSON)', '1');
      for (let i = 0; i < this.c.streamReps; i++) {
        s4_stream_json.push(await this.streamRep(server, j, this.c.streamLines));
        this.logRep(`rep ${i + 1}`, s4_stream_json.at(-1)!);
      }
    } finally {
      await this.closeSession(j);
    }
    log(`[server] 4. stream ${this.s.stalledObserverLines * 100} chars again, with a stalled observer attached`);
    const s4_stalled_observer = await this.stalledObserver(server, a);
    this.logRep('owner', s4_stalled_observer.owner);
    const ob = s4_stalled_observer.observer;
    log(`  observer: ${ob.stdout_chars} chars + ${ob.output_dropped.bytes} dropped (${ob.output_dropped.notices} output_dropped notices), drained in ${ob.drain_ms} ms`);
    await this.closeSession(a);

    log('[server] 3. POST /execute one-shot on a warm pool');
    const s3_one_shot = await this.oneShot(server);
    log(`  p50 ${s3_one_shot.to_response.median_ms} ms p99 ${s3_one_shot.to_response.p99_ms} ms (waited ${s3_one_shot.wait_for_warm.median_ms} ms for a warm session, median)`);
    log('[server] 3b. POST /sessions/{id}/execute on one session (diagnostic)');
    const s3_rest_session = await this.restSession(server);
    log(`  p50 ${s3_rest_session.to_response.median_ms} ms`);

    log('[server] 5. concurrency over ws');
    const s5_concurrency = await this.concurrency(server);
    log(`  wall ${s5_concurrency.wall_ms} ms, per-op median ${s5_concurrency.per_op.median_ms} ms`);
    log('[server] 6. sessions × observers, every client gets every byte');
    const s6_observers = await this.observers(server);
    log(`  ${s6_observers.clients_ok}/${s6_observers.clients_total} clients got every byte in ${s6_observers.wall_ms} ms; server RSS +${s6_observers.server_rss.growth_MB} MB`);
    this.tracker.scan();
    return { s1_ws_rtt, s2_ws_input, s3_one_shot, s3_rest_session, s4_stream, s4_stream_json, s4_print_latency, s4_stalled_observer, s5_concurrency, s6_observers };
  }

  // ------------------------------------------------------------------------------------------------ metrics

  /** 1. `1+1` over the WebSocket: send → execute_reply (and → result). */
  private async wsRtt(sock: ApiSocket): Promise<ServerResults['s1_ws_rtt']> {
    const code = '1+1';
    for (let i = 0; i < this.c.rttWarmup; i++) expectOk(await sock.execute(code, { timeoutMs: this.t.executeMs }), code, '2');
    const reply: number[] = [];
    const result: number[] = [];
    const accepted: number[] = [];
    let messages = 0;
    const cpu = this.cpuMeter();
    for (let i = 0; i < this.c.rttRuns; i++) {
      const r = expectOk(await sock.execute(code, { timeoutMs: this.t.executeMs }), code, '2');
      reply.push(r.tReply);
      result.push(r.tResult ?? NaN);
      accepted.push(r.tAccepted ?? NaN);
      messages += r.messages;
    }
    return {
      code,
      warmup: this.c.rttWarmup,
      to_reply: this.lib.stats(reply),
      to_result: this.lib.stats(result),
      to_accepted: this.lib.stats(accepted),
      messages_per_execution: r3(messages / Math.max(1, this.c.rttRuns)) ?? 0,
      cpu_per_execution: cpu(this.c.rttRuns),
    };
  }

  /** 2. `x = input('p')`, the input_response sent as soon as input_request arrives. */
  private async wsInput(sock: ApiSocket): Promise<ServerResults['s2_ws_input']> {
    const code = "x = input('p')";
    for (let i = 0; i < this.c.inputWarmup; i++) {
      expectOk(await sock.execute(code, { timeoutMs: this.t.executeMs, inputValue: () => `w${i}` }), code);
    }
    const reply: number[] = [];
    const request: number[] = [];
    let last = '';
    let messages = 0;
    for (let i = 0; i < this.c.inputRuns; i++) {
      last = `v${i}`;
      const r = expectOk(await sock.execute(code, { timeoutMs: this.t.executeMs, inputValue: () => `v${i}` }), code);
      if (r.inputsAnswered !== 1) throw new Error(`${code}: ${r.inputsAnswered} input requests, expected 1`);
      reply.push(r.tReply);
      request.push(r.tInputRequest ?? NaN);
      messages += r.messages;
    }
    const check = expectOk(await sock.execute('x', { timeoutMs: this.t.executeMs }), 'x after input');
    if (this.c.inputRuns > 0 && check.resultRepr !== `'${last}'`) throw new Error(`ws input: python saw ${check.resultRepr}, expected '${last}'`);
    return {
      code,
      warmup: this.c.inputWarmup,
      to_reply: this.lib.stats(reply),
      to_input_request: this.lib.stats(request),
      messages_per_execution: r3(messages / Math.max(1, this.c.inputRuns)) ?? 0,
      last_value_seen_by_python: check.resultRepr,
    };
  }

  /** 4. The anchors' PRINT_LATENCY_CODE over the WebSocket. */
  private async printLatency(sock: ApiSocket): Promise<ServerResults['s4_print_latency']> {
    const r = expectOk(await sock.execute(this.lib.PRINT_LATENCY_CODE, { timeoutMs: this.t.executeMs, lineLatency: this.lib }), 'print latency');
    const lat = r.lineLatencies ?? [];
    if (lat.length !== this.lib.PRINT_LATENCY_LINES) throw new Error(`ws print latency: ${lat.length} timed lines arrived, expected ${this.lib.PRINT_LATENCY_LINES}`);
    return { lines_expected: this.lib.PRINT_LATENCY_LINES, lines_received: lat.length, output_events: r.outputEvents, print_to_client_latency: this.lib.stats(lat) };
  }

  /** 4. One 20 MB run (`lines` × 100 chars) on `sock`, with the server's RSS sampled throughout. */
  private async streamRep(server: ServerProcess, sock: ApiSocket, lines: number): Promise<StreamRep> {
    const code = streamCode(lines);
    const expected = lines * 100;
    await sleep(300); // let the server's heap settle before the baseline
    const workers0 = this.childCpu(server.pid);
    const cpu0 = { server: procCpuMs(server.pid), client: selfCpuMs() };
    const rss = await RssSampler.start(server.pid, this.s.rssSampleMs);
    let r: WsProbeResult;
    try {
      r = await sock.execute(code, { timeoutMs: this.t.streamMs });
    } catch (err) {
      await rss.stop();
      throw err;
    }
    const serverRss = await rss.stop();
    const cpu1 = { server: procCpuMs(server.pid), client: selfCpuMs() };
    const workers1 = this.childCpu(server.pid);
    let workersMs = 0;
    for (const [pid, ms] of workers1) workersMs += ms - (workers0.get(pid) ?? ms);
    return {
      expected_chars: expected,
      stdout_chars: r.stdoutChars,
      all_bytes_arrived: r.stdoutChars === expected,
      status: r.status,
      time_to_reply_ms: r3(r.tReply),
      time_to_first_byte_ms: r3(r.tFirstStdout),
      mb_per_s: r3(r.stdoutChars / 1e6 / (r.tReply / 1000)),
      output_events: r.outputEvents,
      messages: r.messages,
      server_cpu_ms: cpu0.server != null && cpu1.server != null ? r3(cpu1.server - cpu0.server) : null,
      workers_cpu_ms: r3(workersMs),
      client_cpu_ms: r3(cpu1.client - cpu0.client),
      server_rss: serverRss,
    };
  }

  /** 4. The 20 MB run again with an observer whose socket is paused during the run, resumed after. */
  private async stalledObserver(server: ServerProcess, owner: ApiSocket): Promise<ServerResults['s4_stalled_observer']> {
    const observer = await this.open({ sessionId: owner.sessionId, role: 'observer', lastSeq: owner.lastSeq });
    const watching = observer.watch({ timeoutMs: this.t.streamMs });
    watching.catch(() => undefined); // awaited below
    observer.pause();
    let ownerRep: StreamRep;
    try {
      ownerRep = await this.streamRep(server, owner, this.s.stalledObserverLines);
    } finally {
      observer.resume();
    }
    const t0 = performance.now();
    const seen = await watching;
    const drainMs = performance.now() - t0;
    await observer.close(this.t.wsOpenMs);
    this.sockets.delete(observer);
    const sum = seen.stdoutChars + seen.dropped.bytes;
    return {
      owner: ownerRep,
      observer: {
        stdout_chars: seen.stdoutChars,
        output_dropped: seen.dropped,
        got_output_dropped: seen.dropped.notices > 0,
        chars_plus_dropped: sum,
        consistent: sum === ownerRep.expected_chars,
        drain_ms: r3(drainMs),
      },
    };
  }

  /** 3. POST /execute `1+1`, each call on a warm pool (wait until /health shows min_idle idle sessions). */
  private async oneShot(server: ServerProcess): Promise<ServerResults['s3_one_shot']> {
    const code = '1+1';
    const minIdle = this.s.minIdle;
    const times: number[] = [];
    const waits: number[] = [];
    for (let i = 0; i < this.s.oneShotWarmup + this.s.oneShotRuns; i++) {
      const wait = await server.waitForPool((p) => p.idle >= minIdle && p.starting === 0, this.t.poolRefillMs, `min_idle ${minIdle} idle sessions`);
      const t0 = performance.now();
      const res = await server.rest('POST', '/execute', { code });
      const dt = performance.now() - t0;
      const body = res.json as { status?: string; result?: { repr?: string } } | null;
      if (res.status !== 200 || body?.status !== 'ok' || body.result?.repr !== '2') {
        throw new Error(`POST /execute ${code}: HTTP ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
      }
      if (i >= this.s.oneShotWarmup) {
        times.push(dt);
        waits.push(wait);
      }
      if (i % 10 === 0) this.tracker.scan();
    }
    return {
      code,
      warmup: this.s.oneShotWarmup,
      min_idle: minIdle,
      to_response: this.lib.stats(times),
      wait_for_warm: this.lib.stats(waits),
      note: 'request written → response body read, keep-alive connection; each call on a pool with min_idle idle sessions',
    };
  }

  /** 3b. POST /sessions/{id}/execute `1+1` on one kept session: the REST path without acquire and close. */
  private async restSession(server: ServerProcess): Promise<ServerResults['s3_rest_session']> {
    const code = '1+1';
    const created = await server.rest('POST', '/sessions');
    const id = (created.json as { session_id?: string } | null)?.session_id;
    if (created.status !== 201 || !id) throw new Error(`POST /sessions: HTTP ${created.status} ${JSON.stringify(created.json).slice(0, 300)}`);
    const times: number[] = [];
    try {
      await this.settlePool(server);
      for (let i = 0; i < this.c.rttWarmup + this.s.restRuns; i++) {
        const t0 = performance.now();
        const res = await server.rest('POST', `/sessions/${id}/execute`, { code });
        const dt = performance.now() - t0;
        if (res.status !== 200 || (res.json as { result?: { repr?: string } } | null)?.result?.repr !== '2') {
          throw new Error(`POST /sessions/{id}/execute: HTTP ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
        }
        if (i >= this.c.rttWarmup) times.push(dt);
      }
    } finally {
      await server.rest('DELETE', `/sessions/${id}`);
    }
    return { code, warmup: this.c.rttWarmup, to_response: this.lib.stats(times), note: 'one session created first; request written → response read' };
  }

  /** 5. N WebSocket sessions, each M sequential `1+1` at the same time (after warm-ups). */
  private async concurrency(server: ServerProcess): Promise<ServerResults['s5_concurrency']> {
    const n = this.c.concSessions;
    const socks = await this.openMany(n, () => this.open({}));
    try {
      for (const s of socks) for (let i = 0; i < this.c.concWarmup; i++) expectOk(await s.execute('1+1', { timeoutMs: this.t.executeMs }), '1+1', '2');
      await this.settlePool(server);
      this.tracker.scan();
      const round = async (perOp: number[]): Promise<number> => {
        const t0 = performance.now();
        await Promise.all(
          socks.map(async (s) => {
            for (let i = 0; i < this.c.concOps; i++) perOp.push(expectOk(await s.execute('1+1', { timeoutMs: this.t.executeMs }), '1+1', '2').tReply);
          }),
        );
        return performance.now() - t0;
      };
      const perOp: number[] = [];
      const cpu = this.cpuMeter();
      const wall = await round(perOp);
      const cpuPerOp = cpu(perOp.length);
      const later: number[] = [];
      for (let i = 0; i < LATER_ROUNDS; i++) later.push(r3(await round([])) ?? NaN);
      return {
        ...roundSummary({ sessions: n, opsPerSession: this.c.concOps, warmupPerSession: this.c.concWarmup }, perOp, wall, this.lib),
        cpu_per_op: cpuPerOp,
        later_rounds_wall_ms: later,
      };
    } finally {
      await Promise.allSettled(socks.map((s) => this.closeSession(s)));
    }
  }

  /** 6. S sessions × K observers at once; each session prints L lines of 100 chars; every client must get all of it. */
  private async observers(server: ServerProcess): Promise<ServerResults['s6_observers']> {
    const { observerSessions: n, observersPerSession: k, observerLines: lines } = this.s;
    const code = streamCode(lines);
    const expected = lines * 100;
    const owners = await this.openMany(n, () => this.open({}));
    try {
      const groups = await Promise.all(
        owners.map(async (owner) => ({
          owner,
          observers: await this.openMany(k, () => this.open({ sessionId: owner.sessionId, role: 'observer', lastSeq: owner.lastSeq })),
        })),
      );
      await this.settlePool(server);
      this.tracker.scan();
      const rss = await RssSampler.start(server.pid, this.s.rssSampleMs);
      const t0 = performance.now();
      const runs = groups.flatMap((g, gi) => [
        ...g.observers.map((o, oi) => ({ who: `session ${gi} observer ${oi}`, p: o.watch({ timeoutMs: this.t.streamMs }) })),
        { who: `session ${gi} owner`, p: g.owner.execute(code, { timeoutMs: this.t.streamMs }) },
      ]);
      const settled = await Promise.allSettled(runs.map((r) => r.p));
      const wall = performance.now() - t0;
      const serverRss = await rss.stop();
      const failures: string[] = [];
      let ok = 0;
      let chars = 0;
      let dropped = 0;
      settled.forEach((s, i) => {
        const who = runs[i]?.who ?? `client ${i}`;
        if (s.status === 'rejected') {
          failures.push(`${who}: ${(s.reason as Error).message}`);
          return;
        }
        const r = s.value;
        chars += r.stdoutChars;
        if (r.dropped.notices > 0) dropped++;
        if (r.status === 'ok' && r.stdoutChars === expected && r.dropped.notices === 0) ok++;
        else failures.push(`${who}: ${r.stdoutChars}/${expected} chars, status ${r.status}, output_dropped ${r.dropped.bytes} bytes`);
      });
      return {
        sessions: n,
        observers_per_session: k,
        clients_total: runs.length,
        clients_ok: ok,
        expected_chars_per_client: expected,
        chars_received_total: chars,
        chars_expected_total: expected * runs.length,
        clients_with_output_dropped: dropped,
        wall_ms: r3(wall),
        failures: failures.slice(0, 20),
        server_rss: serverRss,
      };
    } finally {
      await Promise.allSettled(owners.map((o) => this.closeSession(o)));
      for (const s of [...this.sockets]) if (s.role === 'observer') await s.close(2_000);
      this.sockets.clear();
    }
  }

  // ------------------------------------------------------------------------------------------------ helpers

  /** A WebSocket client; by default it takes output in binary frames, as the terminal does. */
  private async open(opts: { sessionId?: string; role?: 'owner' | 'observer'; lastSeq?: number; output?: 'json' | 'binary' }): Promise<ApiSocket> {
    if (!this.server) throw new Error('no server');
    const sock = await ApiSocket.open(this.server, { output: 'binary', ...opts, timeoutMs: this.t.wsOpenMs });
    this.sockets.add(sock);
    return sock;
  }

  private async openMany(n: number, mk: () => Promise<ApiSocket>): Promise<ApiSocket[]> {
    const settled = await Promise.allSettled(Array.from({ length: n }, mk));
    const ok = settled.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
    const failed = settled.find((p): p is PromiseRejectedResult => p.status === 'rejected');
    if (failed) {
      await Promise.allSettled(ok.map((s) => (s.role === 'owner' ? this.closeSession(s) : s.close(2_000))));
      throw failed.reason;
    }
    return ok;
  }

  private async closeSession(sock: ApiSocket): Promise<void> {
    this.sockets.delete(sock);
    await sock.closeSession(this.t.wsOpenMs);
  }

  /** Waits until the pool has its warm sessions and starts nothing (a refill would compete for the 2 cores). */
  private async settlePool(server: ServerProcess): Promise<void> {
    await server.waitForPool((p) => p.starting === 0 && p.idle >= Math.min(this.s.minIdle, p.max - p.active), this.t.poolRefillMs, 'the pool to settle');
  }

  /** Starts counting CPU (server, its workers, this process); the returned function divides it by `ops`. */
  private cpuMeter(): (ops: number) => CpuPerOp {
    const pid = this.server?.pid;
    if (!pid) return () => ({ server_main_ms: null, server_ms: null, workers_ms: null, client_ms: null });
    const w0 = this.childCpu(pid);
    const m0 = procCpuMs(pid, pid);
    const s0 = procCpuMs(pid);
    const c0 = selfCpuMs();
    return (ops) => {
      const m1 = procCpuMs(pid, pid);
      const s1 = procCpuMs(pid);
      const c1 = selfCpuMs();
      let workers = 0;
      for (const [p, ms] of this.childCpu(pid)) workers += ms - (w0.get(p) ?? ms);
      const per = (x: number | null): number | null => (x == null || ops <= 0 ? null : r3(x / ops));
      return {
        server_main_ms: per(m0 != null && m1 != null ? m1 - m0 : null),
        server_ms: per(s0 != null && s1 != null ? s1 - s0 : null),
        workers_ms: per(workers),
        client_ms: per(c1 - c0),
      };
    };
  }

  /** CPU (ms) of each live child of the server now. */
  private childCpu(pid: number): Map<number, number> {
    const m = new Map<number, number>();
    for (const c of childPids(pid)) {
      const ms = procCpuMs(c);
      if (ms != null) m.set(c, ms);
    }
    return m;
  }

  private logRep(label: string, r: StreamRep): void {
    log(
      `  ${label}: ${r.stdout_chars}/${r.expected_chars} chars in ${r.time_to_reply_ms} ms (${r.mb_per_s} MB/s, ${r.output_events} output events, ${r.status}); ` +
        `CPU server ${r.server_cpu_ms} ms, workers ${r.workers_cpu_ms} ms, client ${r.client_cpu_ms} ms; server RSS +${r.server_rss.growth_MB} MB (HWM +${r.server_rss.hwm_growth_MB} MB)`,
    );
  }
}
