/**
 * `npm run bench [-- --quick]`: the anchors (the floor, floor_bench.mjs; Jupyter Server, jupyter_bench.mjs, when
 * installed), our runtime core and our API server, measured the same way in the same run, then two tables against the
 * targets and the raw JSON in bench/results/. See bench/README.md.
 *
 * Exit code: 0 when the bench ran (even if targets are missed: the tables say so); 1 when the bench itself failed
 * (a measurement or an anchor failed); 2 on bad arguments or a process left behind; 3 on the hard deadline.
 */
import os from 'node:os';
import { ANCHORS, loadAnchorLib, runAnchor, type AnchorRun } from './anchors.js';
import { benchConfig, USAGE, type BenchConfig } from './config.js';
import { compare } from './compare.js';
import { mergeRuns } from './merge-runs.js';
import { ForeignLoad } from './cpu.js';
import { diagnostics, serverDiagnostics } from './diagnostics.js';
import { log, r3 } from './log.js';
import { OursSuite, preflight, type OursResults } from './ours.js';
import { gitInfo, writeResults } from './results.js';
import { measureProtocolFloor, type ProtocolFloorResults } from './protocol-floor.js';
import { compareServer } from './server-compare.js';
import { ServerSuite, type ServerResults } from './server-suite.js';
import { renderTable, summarize } from './table.js';
import { WorkerTracker } from './workers.js';

/** One pass over everything: the anchors, ours (the core) and the server, back to back. */
interface BenchRun {
  anchors: Record<string, AnchorRun['output'] | null>;
  ours: OursResults | null;
  server: ServerResults | null;
  /** The protocol relay (a diagnostic beside the server's numbers). */
  protocol: ProtocolFloorResults | null;
  /** Other processes' CPU (cores) during each part. */
  foreign: Record<string, number | null>;
}

async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let cfg: BenchConfig;
  try {
    cfg = benchConfig(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const startedAt = new Date();
  const t0 = performance.now();
  const lib = await loadAnchorLib(cfg.anchorsDir);
  const workers = new WorkerTracker((pid) => lib.procAlive(pid));
  const anchorPids = new Set<number>();
  const errors: { stage: string; error: string }[] = [];
  let serverSuite: ServerSuite | null = null;

  const emergency = (why: string, code: number): void => {
    log(`${why}: killing every worker of this run`);
    const killed = [...workers.killAll(), ...(serverSuite?.killAll() ?? [])];
    for (const pid of anchorPids) {
      try {
        process.kill(pid, 'SIGTERM'); // the anchor scripts and the protocol relay stop their own processes on SIGTERM
      } catch {
        /* already gone */
      }
    }
    log(`killed ${killed.length} worker(s): ${killed.join(' ') || '-'}`);
    process.exit(code);
  };
  const deadline = setTimeout(() => emergency(`hard deadline (${cfg.timeouts.hardDeadlineMs} ms) reached`, 3), cfg.timeouts.hardDeadlineMs);
  deadline.unref();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => emergency(`got ${sig}`, 130));

  const git = gitInfo(cfg.projectRoot);
  log(`bench ${cfg.quick ? '(quick) ' : ''}python ${cfg.python}, anchors ${cfg.anchorsDir}, code ${git.commit ?? '?'}${git.changed_outside_bench?.length ? ` + ${git.changed_outside_bench.length} changed file(s)` : ''}`);
  let pythonVersion: string | null = null;
  try {
    pythonVersion = await preflight(cfg, workers);
    log(`preflight ok: a session answers 1+1 (python ${pythonVersion})`);
  } catch (err) {
    log(`preflight FAILED: ${(err as Error).stack ?? String(err)}`);
    errors.push({ stage: 'preflight', error: String((err as Error).message ?? err) });
  }

  /** One entry per run: the floor (and, in the first run only, Jupyter), ours and the server, measured in turn. */
  const runs: BenchRun[] = [];
  /** Anchors that did not run, and why (one line each). */
  const skipped: Record<string, string> = {};
  // Jupyter only places us (its column); when it fails, the runs of the floor and ours go on, and the bench still ends
  // with BENCH FAILED and exit code 1 (it says what failed).
  const fatal = (): boolean => errors.some((e) => e.stage !== 'anchor jupyter');
  for (let index = 0; index < cfg.runs && !fatal(); index++) {
    if (cfg.runs > 1) log(`=== run ${index + 1} of ${cfg.runs}`);
    const run: BenchRun = { anchors: {}, ours: null, server: null, protocol: null, foreign: {} };
    runs.push(run);
    for (const spec of ANCHORS) {
      // Jupyter is a hundred times slower than the floor: one run of it is enough to place it.
      if (spec.name === 'jupyter' && index > 0) continue;
      const why = spec.name === 'jupyter' && cfg.skipJupyter ? 'BENCH_SKIP_JUPYTER=1' : (spec.unavailable?.() ?? null);
      if (why) {
        run.anchors[spec.name] = null;
        skipped[spec.name] = why;
        log(`anchor ${spec.name} not run: ${why}`);
        continue;
      }
      const load = new ForeignLoad();
      try {
        const result = await runAnchor(spec, {
          anchorsDir: cfg.anchorsDir,
          projectRoot: cfg.projectRoot,
          quick: cfg.quick,
          timeoutMs: cfg.timeouts.anchorMs,
          onSpawn: (pid) => anchorPids.add(pid),
        });
        run.anchors[spec.name] = result.output;
        run.foreign[spec.name] = r3(load.cores());
        log(`anchor ${spec.name} done in ${result.wall_s} s`);
      } catch (err) {
        run.anchors[spec.name] = null;
        log(`anchor ${spec.name} FAILED: ${(err as Error).message}`);
        errors.push({ stage: `anchor ${spec.name}`, error: (err as Error).message });
      }
    }
    const load = new ForeignLoad();
    try {
      run.ours = await new OursSuite(cfg, lib, workers).run();
      run.foreign.ours = r3(load.cores());
    } catch (err) {
      log(`ours FAILED: ${(err as Error).stack ?? String(err)}`);
      errors.push({ stage: 'ours', error: (err as Error).message });
    }
    const serverLoad = new ForeignLoad();
    try {
      serverSuite = new ServerSuite(cfg, lib);
      run.server = await serverSuite.run();
      run.foreign.server = r3(serverLoad.cores());
      if (run.server.server.left_behind.length > 0) errors.push({ stage: 'server', error: `process(es) left behind: ${run.server.server.left_behind.join(' ')}` });
    } catch (err) {
      log(`server FAILED: ${(err as Error).stack ?? String(err)}`);
      errors.push({ stage: 'server', error: (err as Error).message });
    }
    try {
      run.protocol = await measureProtocolFloor(cfg, lib, (pid) => anchorPids.add(pid));
      if (run.protocol.left_behind.length > 0) errors.push({ stage: 'protocol relay', error: `process(es) left behind: ${run.protocol.left_behind.join(' ')}` });
    } catch (err) {
      log(`protocol relay FAILED: ${(err as Error).stack ?? String(err)}`);
      errors.push({ stage: 'protocol relay', error: (err as Error).message });
    }
  }
  const jupyter = runs[0]?.anchors.jupyter ?? null;
  const last = runs.at(-1);

  const leftovers = await workers.leftovers(3000);
  if (leftovers.length > 0) {
    log(`LEFT BEHIND: worker pid(s) ${leftovers.join(' ')} still alive after the bench; killing them`);
    workers.killAll();
  } else {
    log(`no worker left behind (${workers.seenCount} worker pid(s) seen, all gone)`);
  }

  const rows = mergeRuns(runs.filter((r) => r.ours).map((r) => compare(r.ours!, r.anchors.floor ?? null, lib)));
  const runsNote = (n: number): string => (n > 1 ? `; ours and the floor are the medians of ${n} alternating runs, "per run" gives each run's ratio` : '');
  if (rows.length > 0) {
    const n = runs.filter((r) => r.ours).length;
    process.stdout.write(`\nPyREPL3 runtime core vs. the pipe floor${cfg.quick ? ' (QUICK: small counts)' : ''}${runsNote(n)}\n\n`);
    process.stdout.write(`${renderTable(rows, { perRun: n > 1 })}\n\n${summarize(rows)}\n`);
    if (last?.ours) process.stdout.write(`\ndiagnostics (ours${n > 1 ? ', last run' : ''}):\n${diagnostics(last.ours)}\n`);
  }
  const jupyterNote = skipped.jupyter ? 'not run' : 'failed';
  const serverRuns = runs.filter((r) => r.server);
  const serverRows = mergeRuns(serverRuns.map((r) => compareServer(r.server!, r.anchors.floor ?? null, jupyter, jupyterNote, lib, r.protocol)));
  if (serverRows.length > 0) {
    process.stdout.write(`\nPyREPL3 API server (pyrepl serve, REST + WebSocket) vs. the floors and Jupyter Server${cfg.quick ? ' (QUICK: small counts)' : ''}${runsNote(serverRuns.length)}\n`);
    if (skipped.jupyter) process.stdout.write(`Jupyter: not run (${skipped.jupyter}${skipped.jupyter.startsWith('BENCH_') ? '' : '; `npm run bench:setup` installs it'}).\n`);
    process.stdout.write(`\n${renderTable(serverRows, { floorHeader: 'floor', jupyter: true, perRun: serverRuns.length > 1 })}\n\n${summarize(serverRows)}\n`);
    const lastServer = serverRuns.at(-1)!.server!;
    process.stdout.write(`\ndiagnostics (server${serverRuns.length > 1 ? ', last run' : ''}):\n${serverDiagnostics(lastServer)}\n`);
  }
  if (rows.length > 0 || serverRows.length > 0) {
    process.stdout.write(`\n${runs.map((r, i) => loadNote(r.foreign, runs.length > 1 ? i + 1 : null)).join('\n')}\n`);
    const end = gitInfo(cfg.projectRoot);
    process.stdout.write(`code measured: ${git.commit ?? '?'} (${git.subject ?? '?'})${git.changed_outside_bench?.length ? `, plus uncommitted changes to ${git.changed_outside_bench.join(' ')}` : ''}\n`);
    if (end.commit !== git.commit) process.stdout.write(`WARNING: HEAD moved to ${end.commit} during the run; parts of it may have measured different code.\n`);
  }
  if (errors.length > 0) process.stdout.write(`\nBENCH FAILED:\n${errors.map((e) => `  ${e.stage}: ${e.error}`).join('\n')}\n`);

  const file = writeResults(cfg.resultsDir, startedAt, cfg.quick, {
    tool: 'pyrepl-bench',
    started_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    total_s: r3((performance.now() - t0) / 1000),
    quick: cfg.quick,
    machine: lib.machineInfo(),
    git,
    git_at_end: gitInfo(cfg.projectRoot),
    config: { python: cfg.python, python_version: pythonVersion, anchors_dir: cfg.anchorsDir, counts: cfg.counts, server: cfg.server, timeouts: cfg.timeouts },
    runs: runs.map((r) => ({ ours: r.ours, server: r.server, protocol: r.protocol, anchors: r.anchors, foreign_load_cores: r.foreign })),
    anchors_not_run: skipped,
    table: rows,
    server_table: serverRows,
    workers: { seen: workers.seenCount, left_behind: leftovers },
    errors,
  });
  process.stdout.write(`\nraw results: ${file}\n`);
  clearTimeout(deadline);
  if (leftovers.length > 0) return 2;
  return errors.length > 0 ? 1 : 0;
}

/** Other work on the machine skews both sides; say so when it was there. */
function loadNote(foreign: Record<string, number | null>, run: number | null): string {
  const parts = Object.entries(foreign).map(([k, v]) => `${k} ${v == null ? 'n/a' : v.toFixed(2)}`);
  const worst = Math.max(0, ...Object.values(foreign).map((v) => v ?? 0));
  const head = `other processes' CPU during ${run == null ? 'the run' : `run ${run}`}, in cores (of ${os.availableParallelism()}): ${parts.join(', ')}`;
  return worst > 0.2 ? `${head}\nWARNING: the machine was busy with other work; rerun on a quiet machine before trusting the ratios.` : head;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`bench crashed: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
