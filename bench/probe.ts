/**
 * One timed execution on a session, read through the public Execution iterator as any caller would read it.
 * Times are from just before session.execute() (which sends the command to the worker at once when the session is
 * idle) to the arrival of each event. Input requests are answered as soon as they arrive; stdout lines of the form
 * `T<epoch ms>` can be turned into print latencies (the anchors' method).
 */
import type { Session } from '../server/session/session.js';
import type { AnchorLib, Stats } from './anchors.js';
import { r3, withTimeout } from './log.js';

export interface ProbeOptions {
  timeoutMs: number;
  /** The answer to each input request (by its index in this execution). */
  inputValue?: (index: number) => string;
  /** Collect print latencies from `T<epoch ms>` stdout lines (needs lib). */
  lineLatency?: AnchorLib;
  output_limit?: number | null;
}

/** What both probes (in-process and WebSocket) report about one execution; times in ms from the send. */
export interface ProbeOutcome {
  /** → execute_reply read. */
  tReply: number;
  /** → result event read; null when the code gave no result. */
  tResult: number | null;
  tFirstStdout: number | null;
  /** → first input_request read. */
  tInputRequest: number | null;
  status: string;
  resultRepr: string | null;
  error: { exception: string; message: string } | null;
  stdoutChars: number;
  stderrChars: number;
  outputEvents: number;
  inputsAnswered: number;
  /** Print latencies (ms), when asked for. */
  lineLatencies: number[] | null;
}

export interface ProbeResult extends ProbeOutcome {
  /** The worker's own execution_time from execute_reply (ms): the part of tReply spent inside the worker's execute. */
  workerMs: number | null;
}

export async function probe(session: Session, code: string, opts: ProbeOptions): Promise<ProbeResult> {
  const r: ProbeResult = {
    tReply: NaN,
    tResult: null,
    tFirstStdout: null,
    tInputRequest: null,
    workerMs: null,
    status: 'none',
    resultRepr: null,
    error: null,
    stdoutChars: 0,
    stderrChars: 0,
    outputEvents: 0,
    inputsAnswered: 0,
    lineLatencies: opts.lineLatency ? [] : null,
  };
  const lib = opts.lineLatency;
  let carry = '';
  const answers: Promise<void>[] = [];
  const t0 = performance.now();
  const execution = session.execute({ code, ...(opts.output_limit !== undefined ? { output_limit: opts.output_limit } : {}) });
  const drain = async (): Promise<void> => {
    for await (const event of execution) {
      const t = performance.now() - t0;
      switch (event.type) {
        case 'output':
          r.outputEvents++;
          if (event.stream === 'stdout') {
            r.tFirstStdout ??= t;
            r.stdoutChars += event.data.length;
            if (lib && r.lineLatencies) carry = lib.collectLineLatencies(carry, event.data, lib.epochMs(), r.lineLatencies);
          } else {
            r.stderrChars += event.data.length;
          }
          break;
        case 'input_request':
          r.tInputRequest ??= t;
          // The command goes out synchronously inside sendInput; its ack is awaited after the loop.
          answers.push(session.sendInput(event.token, opts.inputValue ? opts.inputValue(r.inputsAnswered) : 'v'));
          r.inputsAnswered++;
          break;
        case 'result':
          r.tResult = t;
          r.resultRepr = event.repr;
          break;
        case 'error':
          r.error = { exception: event.exception, message: event.message };
          break;
        case 'execute_reply':
          r.tReply = t;
          r.status = event.status;
          r.workerMs = event.execution_time * 1000;
          break;
        case 'exit':
          r.status = 'exit';
          break;
      }
    }
  };
  try {
    await withTimeout(drain(), opts.timeoutMs, `execute ${JSON.stringify(code.slice(0, 40))}`);
  } catch (err) {
    session.interrupt();
    throw err;
  }
  await Promise.all(answers);
  return r;
}

/** Throws unless the execution ended ok (and, when given, with that result). */
export function expectOk<R extends ProbeOutcome>(r: R, what: string, repr?: string): R {
  if (r.status !== 'ok' || r.error) {
    throw new Error(`${what}: status ${r.status}${r.error ? `, ${r.error.exception}: ${r.error.message}` : ''}`);
  }
  if (repr !== undefined && r.resultRepr !== repr) {
    throw new Error(`${what}: expected result ${JSON.stringify(repr)}, got ${JSON.stringify(r.resultRepr)}`);
  }
  return r;
}

/** The totals of one concurrency round (N sessions × M sequential executions at once), as both suites report them. */
export function roundSummary(
  counts: { sessions: number; opsPerSession: number; warmupPerSession: number },
  perOp: number[],
  wallMs: number,
  lib: AnchorLib,
): { sessions: number; ops_per_session: number; warmup_per_session: number; total_ops: number; wall_ms: number | null; ops_per_s: number | null; per_op: Stats } {
  return {
    sessions: counts.sessions,
    ops_per_session: counts.opsPerSession,
    warmup_per_session: counts.warmupPerSession,
    total_ops: perOp.length,
    wall_ms: r3(wallMs),
    ops_per_s: r3(perOp.length / (wallMs / 1000)),
    per_op: lib.stats(perOp),
  };
}
