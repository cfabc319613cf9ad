/**
 * The API server against the floors (the WS relay where the path has a WebSocket in it, the pipe for the REST
 * one-shot) and beside Jupyter Server, metric by metric, with the targets of the server milestone. Same row and target
 * machinery as compare.ts; the Jupyter column is "not run" when jupyter_bench.mjs did not run.
 */
import type { AnchorLib } from './anchors.js';
import { arr, medianOf, num, row, type Row } from './compare.js';
import type { ProtocolFloorResults } from './protocol-floor.js';
import type { ServerResults } from './server-suite.js';
import { fmt } from './table.js';

const mb = (chars: number): string => `${(chars / 1e6).toFixed(1)} MB`;

/**
 * `floorJson` is floor_bench.mjs's JSON, `jupyterJson` jupyter_bench.mjs's; null when it failed or did not run
 * (`jupyterNote` says which, e.g. "not run").
 */
export function compareServer(
  ours: ServerResults,
  floorJson: unknown,
  jupyterJson: unknown,
  jupyterNote: string,
  lib: AnchorLib,
  protocol: ProtocolFloorResults | null = null,
): Row[] {
  const results = (floorJson as { results?: Record<string, unknown> } | null)?.results ?? {};
  const relay = results.ws_relay_debian_python ?? null;
  const pipe = results.pipe_debian_python ?? null;
  const jup = (jupyterJson as { results?: Record<string, unknown> } | null)?.results ?? null;
  const jc = (jup?.server_C_nodelay as unknown) ?? null;
  /** Jupyter stock, with the TCP_NODELAY diagnostic server C beside it when it has the metric. */
  const j = (stock: number | null, nodelay: number | null = null): number | string | null =>
    stock == null ? null : nodelay == null ? stock : `${fmt(stock)} (nodelay ${fmt(nodelay)})`;

  const reps = ours.s4_stream;
  const streamChars = reps[0]?.expected_chars ?? 0;
  const everyRep = [...reps, ...(ours.s4_stream_json ?? [])];
  const allArrived = reps.length > 0 && everyRep.every((r) => r.all_bytes_arrived);
  const oursMbps = medianOf(reps, 'mb_per_s', lib);
  const rssGrowth = reps.reduce<number | null>((m, r) => (r.server_rss.growth_MB == null ? m : Math.max(m ?? -Infinity, r.server_rss.growth_MB)), null);
  const so = ours.s4_stalled_observer;
  const ob = so.observer;
  const s6 = ours.s6_observers;

  // Floor: the relay's peak growth while streaming (VmHWM after − VmRSS with one idle session; no sampling there).
  const relayRss = (() => {
    const hwm = num(relay, 'e_memory.relay_after_streaming.VmHWM_kB');
    const base = num(relay, 'e_memory.relay_with_one_idle_session.VmRSS_kB');
    return hwm == null || base == null ? null : (hwm - base) / 1024;
  })();
  // Jupyter: server B's peak after its raised-limit streaming − server A's RSS with one idle kernel (B has no baseline).
  const jupRss = (() => {
    const hwm = num(jup, 'e_memory.server_after_streaming_B.VmHWM_kB');
    const base = num(jup, 'e_memory.server_with_one_idle_kernel.VmRSS_kB');
    return hwm == null || base == null ? null : (hwm - base) / 1024;
  })();
  const jupStream = arr(jup, 'c_stream.raised_data_rate_limit.reps');
  const jupStock = arr(jup, 'c_stream.default_limits.reps');
  const jupStockFraction = medianOf(jupStock, 'fraction_received', lib);

  const rows: Array<Row & { jupyter: number | string | null }> = [
    {
      ...row('s1', '1. ws `1+1`: send → execute_reply p50 (ms)', ours.s1_ws_rtt.to_reply.median_ms, num(relay, 'b_rtt.to_result.median_ms'), { kind: 'ratio_max', max: 1.5 }),
      floorKind: 'relay',
      jupyter: j(num(jup, 'b_execute_rtt.to_idle.median_ms'), num(jc, 'b_execute_rtt.to_idle.median_ms')),
    },
    {
      ...row('s1_result', '1. ws `1+1`: send → result p50 (ms)', ours.s1_ws_rtt.to_result.median_ms, num(relay, 'b_rtt.to_result.median_ms'), { kind: 'none' }),
      floorKind: 'relay',
      jupyter: null,
    },
    {
      ...row('s1_p99', '1. ws `1+1`: send → execute_reply p99 (ms)', ours.s1_ws_rtt.to_reply.p99_ms, num(relay, 'b_rtt.to_result.p99_ms'), { kind: 'none' }),
      floorKind: 'relay',
      jupyter: j(num(jup, 'b_execute_rtt.to_idle.p99_ms'), num(jc, 'b_execute_rtt.to_idle.p99_ms')),
    },
    {
      ...row('s2', "2. ws `x = input('p')` round trip p50 (ms)", ours.s2_ws_input.to_reply.median_ms, num(relay, 'd_input_rtt.to_result.median_ms'), { kind: 'ratio_max', max: 1.5 }),
      floorKind: 'relay',
      jupyter: j(num(jup, 'd_input_rtt.to_idle.median_ms'), num(jc, 'd_input_rtt.to_idle.median_ms')),
    },
    {
      ...row('s3', '3. POST /execute `1+1` one-shot, warm pool, p50 (ms)', ours.s3_one_shot.to_response.median_ms, num(pipe, 'b_rtt.to_result.median_ms'), { kind: 'delta_max', max: 3, unit: 'ms' }),
      floorKind: 'pipe',
      jupyter: num(jup, 'a_kernel_cold_start.median_ms') == null ? null : `${fmt(num(jup, 'a_kernel_cold_start.median_ms'))} (new kernel)`,
    },
    {
      ...row('s3_session', '3. (diag) POST /sessions/{id}/execute `1+1` p50 (ms)', ours.s3_rest_session.to_response.median_ms, num(pipe, 'b_rtt.to_result.median_ms'), { kind: 'none' }),
      floorKind: 'pipe',
      jupyter: null,
    },
    {
      id: 's4_bytes',
      metric: `4. ${mb(streamChars)} stdout over ws: every byte arrived`,
      ours: `${everyRep.filter((r) => r.all_bytes_arrived).length}/${everyRep.length} reps (binary and JSON frames)`,
      floor: null,
      ratio: null,
      target: 'all reps',
      pass: allArrived,
      jupyter: jupStream.length
        ? `${jupStream.filter((r) => (r as { all_bytes_arrived?: boolean }).all_bytes_arrived).length}/${jupStream.length} (raised limit); stock ${jupStockFraction == null ? '?' : Math.round(jupStockFraction * 100)}%`
        : null,
    },
    {
      ...row('s4', `4. ${mb(streamChars)} stdout over ws (binary frames): MB/s, median of reps`, oursMbps, medianOf(arr(relay, 'c_stream_block_buffered'), 'mb_per_s', lib), { kind: 'ratio_min', min: 0.5 }),
      floorKind: 'relay, block-buffered',
      jupyter: j(medianOf(jupStream, 'mb_per_s_received', lib)),
    },
    {
      ...row('s4_json', `4. (diag) the same, output in JSON text frames: MB/s`, medianOf(ours.s4_stream_json, 'mb_per_s', lib), medianOf(arr(relay, 'c_stream_block_buffered'), 'mb_per_s', lib), { kind: 'none' }),
      floorKind: 'relay, block-buffered',
      jupyter: null,
    },
    {
      ...row('s4_u', `4. ${mb(streamChars)} stdout over ws: MB/s (floor: python -u)`, oursMbps, medianOf(arr(relay, 'c_stream'), 'mb_per_s', lib), { kind: 'none' }),
      floorKind: 'relay, -u',
      jupyter: null,
    },
    {
      ...row('s4_g', '4. print() → ws client latency, median (ms)', ours.s4_print_latency.print_to_client_latency.median_ms, num(relay, 'g_print_latency.print_to_client_latency.median_ms'), { kind: 'abs_max', max: 10, strict: false, unit: 'ms' }),
      floorKind: 'relay',
      jupyter: j(num(jup, 'g_print_latency.print_to_client_latency.median_ms'), num(jc, 'g_print_latency.print_to_client_latency.median_ms')),
    },
    {
      ...row('s4_g_max', '4. print() → ws client latency, max (ms)', ours.s4_print_latency.print_to_client_latency.max_ms, num(relay, 'g_print_latency.print_to_client_latency.max_ms'), { kind: 'none' }),
      floorKind: 'relay',
      jupyter: j(num(jup, 'g_print_latency.print_to_client_latency.max_ms')),
    },
    {
      ...row('s4_rss', `4. server RSS growth during the ${mb(streamChars)} run, worst rep (MB)`, rssGrowth, relayRss, { kind: 'abs_max', max: 50, strict: true, unit: 'MB' }),
      floorKind: 'relay, HWM',
      jupyter: jupRss == null ? null : `${fmt(jupRss)} (HWM)`,
    },
    {
      ...row('s4_obs_rss', `4. ${mb(so.owner.expected_chars)} again with a stalled observer: server RSS growth (MB)`, so.owner.server_rss.growth_MB, null, { kind: 'abs_max', max: 50, strict: true, unit: 'MB' }),
      jupyter: null,
    },
    {
      id: 's4_obs',
      metric: '4. stalled observer: owner got every byte; observer got output_dropped',
      ours: `owner ${mb(so.owner.stdout_chars)}; observer ${mb(ob.stdout_chars)} + ${mb(ob.output_dropped.bytes)} dropped (${ob.output_dropped.notices} notice${ob.output_dropped.notices === 1 ? '' : 's'})`,
      floor: null,
      ratio: null,
      target: 'both',
      pass: so.owner.all_bytes_arrived && ob.got_output_dropped && ob.consistent,
      jupyter: null,
    },
    {
      ...row('s5', `5. ${ours.s5_concurrency.sessions} ws sessions × ${ours.s5_concurrency.ops_per_session} \`1+1\`: total wall (ms)`, ours.s5_concurrency.wall_ms, num(relay, 'f_concurrency.wall_ms'), { kind: 'ratio_max', max: 1.5 }),
      floorKind: 'relay',
      jupyter: j(num(jup, 'f_concurrency.wall_ms'), num(jc, 'f_concurrency.wall_ms')),
    },
    {
      ...row('s5_op', '5. per-op median (ms)', ours.s5_concurrency.per_op.median_ms, num(relay, 'f_concurrency.per_op.median_ms'), { kind: 'none' }),
      floorKind: 'relay',
      jupyter: j(num(jup, 'f_concurrency.per_op_to_idle.median_ms'), num(jc, 'f_concurrency.per_op_to_idle.median_ms')),
    },
    ...protocolRows(ours, protocol, num(relay, 'b_rtt.to_result.median_ms'), num(relay, 'f_concurrency.wall_ms')),
    {
      id: 's6',
      metric: `6. ${s6.sessions} sessions × ${s6.observers_per_session} observers, ${mb(s6.expected_chars_per_client)} each: clients with every byte`,
      ours: `${s6.clients_ok}/${s6.clients_total} clients, ${mb(s6.chars_received_total)}/${mb(s6.chars_expected_total)}`,
      floor: null,
      ratio: null,
      target: 'all clients',
      pass: s6.clients_ok === s6.clients_total,
      jupyter: null,
    },
  ];
  // MB/s counts only if every byte arrived.
  const s4 = rows.find((r) => r.id === 's4');
  if (s4 && !allArrived) {
    s4.pass = false;
    s4.forcedFail = true;
  }
  if (!jup) for (const r of rows) r.jupyter = jupyterNote;
  return rows;
}

/**
 * The protocol relay (protocol-floor.ts) between the anchors' relay and us: what the protocol's frames cost, and what our
 * implementation adds to them. Diagnostics only; the targets stay against the anchors' relay.
 */
function protocolRows(ours: ServerResults, protocol: ProtocolFloorResults | null, relayRtt: number | null, relayWall: number | null): Array<Row & { jupyter: null }> {
  if (!protocol) return [];
  const frames = `${Math.round(protocol.ws_rtt.messages_per_execution)} frames`;
  return [
    {
      ...row('s1_proto', `1. (diag) the protocol relay (${frames} per \`1+1\`, nothing else): p50 (ms)`, protocol.ws_rtt.to_reply.median_ms, relayRtt, { kind: 'none' }),
      floorKind: 'relay',
      jupyter: null,
    },
    {
      ...row('s1_vs_proto', '1. (diag) ours against the protocol relay: p50 (ms)', ours.s1_ws_rtt.to_reply.median_ms, protocol.ws_rtt.to_reply.median_ms, { kind: 'none' }),
      floorKind: 'protocol relay',
      jupyter: null,
    },
    {
      ...row('s5_proto', '5. (diag) the protocol relay: total wall (ms)', protocol.concurrency.wall_ms, relayWall, { kind: 'none' }),
      floorKind: 'relay',
      jupyter: null,
    },
    {
      ...row('s5_vs_proto', '5. (diag) ours against the protocol relay: total wall (ms)', ours.s5_concurrency.wall_ms, protocol.concurrency.wall_ms, { kind: 'none' }),
      floorKind: 'protocol relay',
      jupyter: null,
    },
  ];
}
