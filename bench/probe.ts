/**
 * One timed execution on a session, read through the public Execution iterator as any caller would read it.
 * Times are from just before session.execute() (which sends the command to the worker at once when the session is
 * idle) to the arrival of each event. Input requests are answered as soon as they arrive; stdout lines of the form
 * `T<epoch ms>` can be turned into print latencies (the anchors' method).
 */
import type { Session } from '../server/session/session.js';
import type { AnchorLib } from './anchors.js';
import { withTimeout } from './log.js';

export interface ProbeOptions {
  timeoutMs: number;
  /** The answer to each input request (by its index in this execution). */
  inputValue?: (index: number) => string;
  /** Collect print latencies from `T<epoch ms>` stdout lines (needs lib). */
  lineLatency?: AnchorLib;
  output_limit?: number | null;
}

export interface ProbeResult {
  /** execute() called → execute_reply read (ms). */
  tReply: number;
  /** → result event read (ms); null when the code gave no result. */
  tResult: number | null;
  tFirstStdout: number | null;
  /** → first input_request read (ms). */
  tInputRequest: number | null;
  /** The worker's own execution_time from execute_reply (ms): the part of tReply spent inside the worker's execute. */
  workerMs: number | null;
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

/** What expectOk looks at: shared by the in-process probe and the WebSocket probe. */
export interface Outcome {
  status: string;
  error: { exception: string; message: string } | null;
  resultRepr: string | null;
}

/** Throws unless the execution ended ok (and, when given, with that result). */
export function expectOk<R extends Outcome>(r: R, what: string, repr?: string): R {
  if (r.status !== 'ok' || r.error) {
    throw new Error(`${what}: status ${r.status}${r.error ? `, ${r.error.exception}: ${r.error.message}` : ''}`);
  }
  if (repr !== undefined && r.resultRepr !== repr) {
    throw new Error(`${what}: expected result ${JSON.stringify(repr)}, got ${JSON.stringify(r.resultRepr)}`);
  }
  return r;
}
