/** Breakdowns printed under the tables: where our time goes, for whoever tunes the worker, the session layer or the server. */
import type { OursResults } from './ours.js';
import type { CpuPerOp, ServerResults, StreamRep } from './server-suite.js';

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

const cpu = (c: CpuPerOp, per: string): string =>
  `CPU per ${per}: server ${ms(c.server_main_ms)} on its main thread (${ms(c.server_ms)} with V8's helper threads), workers ${ms(c.workers_ms)}, client (this process) ${ms(c.client_ms)}`;

/** Breakdowns under the server table: frames per execute, the one-shot's parts, CPU and memory per 20 MB run. */
export function serverDiagnostics(s: ServerResults): string {
  const rep = (label: string, r: StreamRep): string =>
    `4. ${label}: ${r.stdout_chars}/${r.expected_chars} chars in ${r.output_events} output events (${r.messages} frames), ${ms(r.time_to_reply_ms)} to execute_reply, first byte after ${ms(r.time_to_first_byte_ms)}; ` +
    `CPU server ${ms(r.server_cpu_ms)}, workers ${ms(r.workers_cpu_ms)}, client ${ms(r.client_cpu_ms)}; server RSS ${r.server_rss.baseline_kB} → max ${r.server_rss.max_kB} kB ` +
    `(${r.server_rss.samples} samples every ${r.server_rss.interval_ms} ms; kernel peak VmHWM +${r.server_rss.hwm_growth_MB ?? 'n/a'} MB)`;
  const ob = s.s4_stalled_observer.observer;
  const s6 = s.s6_observers;
  const lines = [
    `server: pid ${s.server.pid}, up in ${ms(s.server.start_ms)} (--min-idle ${s.server.min_idle} --max-sessions ${s.server.max_sessions}); RSS ${s.server.rss_at_start_kB} kB at start, ${s.server.rss_before_stop_kB} kB before the stop`,
    `1. a ws \`1+1\` is ${s.s1_ws_rtt.messages_per_execution} frames to the client; execute_accepted after ${ms(s.s1_ws_rtt.to_accepted.median_ms)} p50, result ${ms(s.s1_ws_rtt.to_result.median_ms)}, execute_reply ${ms(s.s1_ws_rtt.to_reply.median_ms)}; ${cpu(s.s1_ws_rtt.cpu_per_execution, 'execution')}`,
    `2. input(): ${s.s2_ws_input.messages_per_execution} frames to the client (and 2 from it); input_request after ${ms(s.s2_ws_input.to_input_request.median_ms)} p50, execute_reply after ${ms(s.s2_ws_input.to_reply.median_ms)}`,
    `3. one-shot p50 ${ms(s.s3_one_shot.to_response.median_ms)} against ${ms(s.s3_rest_session.to_response.median_ms)} for the same REST execute on a kept session: the difference is the one-shot's own work (taking the warm session, ending it, as far as the answer waits for that); the pool took ${ms(s.s3_one_shot.wait_for_warm.median_ms)} (median) to be warm again`,
    ...s.s4_stream.map((r, i) => rep(`rep ${i + 1}`, r)),
    rep('with a stalled observer (owner)', s.s4_stalled_observer.owner),
    `4. stalled observer: ${ob.stdout_chars} chars received + ${ob.output_dropped.bytes} reported dropped (${ob.output_dropped.events} events in ${ob.output_dropped.notices} output_dropped) = ${ob.chars_plus_dropped}${ob.consistent ? ' (= all printed)' : ' (≠ what was printed!)'}; caught up ${ms(ob.drain_ms)} after resume`,
    `5. ${cpu(s.s5_concurrency.cpu_per_op, 'op')}; the same ${s.s5_concurrency.sessions} × ${s.s5_concurrency.ops_per_session} again on the same sessions, unmeasured: ${(s.s5_concurrency.later_rounds_wall_ms ?? []).map((w) => ms(w)).join(', ')} (measured round ${ms(s.s5_concurrency.wall_ms)})`,
    `6. ${s6.clients_total} clients in ${ms(s6.wall_ms)}; server RSS +${s6.server_rss.growth_MB} MB; ${s6.clients_with_output_dropped} client(s) got output_dropped${s6.failures.length ? `; failures: ${s6.failures.slice(0, 3).join(' | ')}` : ''}`,
    `stop: SIGTERM → exit in ${s.server.stop?.stop_ms ?? 'n/a'} ms (${s.server.stop?.exit ?? 'n/a'}${s.server.stop?.killed ? ', SIGKILL needed' : ''}); ${s.server.processes_seen} process(es) of the server run seen, ${s.server.left_behind.length ? `LEFT BEHIND: ${s.server.left_behind.join(' ')}` : 'none left'}`,
    ...(s.server.cpu_profile_dir ? [`CPU profile of the server: ${s.server.cpu_profile_dir}`] : []),
  ];
  return lines.map((l) => `  ${l}`).join('\n');
}
