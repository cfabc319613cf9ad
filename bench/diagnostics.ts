/** Breakdowns printed under the table: where our time goes, for whoever tunes the worker or the session layer. */
import type { OursResults } from './ours.js';

const ms = (x: number | null | undefined): string => (x == null ? 'n/a' : `${x} ms`);

export function diagnostics(ours: OursResults): string {
  const b = ours.b_rtt;
  const lines = [
    `a. Session.create() (spawn → ready) median ${ms(ours.a_cold_start.session_create.median_ms)} of ${ms(ours.a_cold_start.median_ms)} to the first result`,
    `b. 1+1: p50 ${ms(b.to_reply.median_ms)} to execute_reply (${ms(b.to_result.median_ms)} to result); the worker's own execution_time p50 ${ms(b.worker_execution_time.median_ms)}`,
    `b2. pool: refill back to min_idle after a release took median ${ms(ours.b2_pool_acquire.wait_for_refill.median_ms)}`,
    ...ours.c_stream.map(
      (r, i) =>
        `c. rep ${i + 1}: ${r.stdout_chars}/${r.expected_chars} chars, ${r.output_events} output events, ${ms(r.time_to_reply_ms)} to execute_reply, worker's execution_time ${ms(r.worker_execution_time_ms)}, first byte after ${ms(r.time_to_first_byte_ms)}; CPU during the rep: worker ${ms(r.worker_cpu_ms)}, node (bench + session layer) ${ms(r.node_cpu_ms)}`,
    ),
    `c. worker VmHWM after streaming ${ours.e_memory.worker_after_streaming.VmHWM_kB ?? 'n/a'} kB`,
    `g. ${ours.g_print_latency.lines_received} lines arrived in ${ours.g_print_latency.output_events} output events`,
  ];
  return lines.map((l) => `  ${l}`).join('\n');
}
