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
import { ForeignLoad } from './cpu.js';
import { diagnostics, serverDiagnostics } from './diagnostics.js';
import { log, r3 } from './log.js';
import { OursSuite, preflight, type OursResults } from './ours.js';
import { gitInfo, writeResults } from './results.js';
import { compareServer } from './server-compare.js';
import { ServerSuite, type ServerResults } from './server-suite.js';
import { renderTable, summarize } from './table.js';
import { WorkerTracker } from './workers.js';

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
        process.kill(pid, 'SIGTERM'); // the anchor scripts stop their own processes on SIGTERM
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

  const anchors: Record<string, AnchorRun['output'] | null> = {};
  /** Anchors that did not run, and why (one line each). */
  const skipped: Record<string, string> = {};
  const foreign: Record<string, number | null> = {};
  let ours: OursResults | null = null;
  let server: ServerResults | null = null;
  if (errors.length === 0) {
    for (const spec of ANCHORS) {
      const why = spec.name === 'jupyter' && cfg.skipJupyter ? 'BENCH_SKIP_JUPYTER=1' : (spec.unavailable?.() ?? null);
      if (why) {
        anchors[spec.name] = null;
        skipped[spec.name] = why;
        log(`anchor ${spec.name} not run: ${why}`);
        continue;
      }
      const load = new ForeignLoad();
      try {
        const run = await runAnchor(spec, {
          anchorsDir: cfg.anchorsDir,
          projectRoot: cfg.projectRoot,
          quick: cfg.quick,
          timeoutMs: cfg.timeouts.anchorMs,
          onSpawn: (pid) => anchorPids.add(pid),
        });
        anchors[spec.name] = run.output;
        foreign[spec.name] = r3(load.cores());
        log(`anchor ${spec.name} done in ${run.wall_s} s`);
      } catch (err) {
        anchors[spec.name] = null;
        log(`anchor ${spec.name} FAILED: ${(err as Error).message}`);
        errors.push({ stage: `anchor ${spec.name}`, error: (err as Error).message });
      }
    }
    const load = new ForeignLoad();
    try {
      ours = await new OursSuite(cfg, lib, workers).run();
      foreign.ours = r3(load.cores());
    } catch (err) {
      log(`ours FAILED: ${(err as Error).stack ?? String(err)}`);
      errors.push({ stage: 'ours', error: (err as Error).message });
    }
    const serverLoad = new ForeignLoad();
    try {
      serverSuite = new ServerSuite(cfg, lib);
      server = await serverSuite.run();
      foreign.server = r3(serverLoad.cores());
      if (server.server.left_behind.length > 0) errors.push({ stage: 'server', error: `process(es) left behind: ${server.server.left_behind.join(' ')}` });
    } catch (err) {
      log(`server FAILED: ${(err as Error).stack ?? String(err)}`);
      errors.push({ stage: 'server', error: (err as Error).message });
    }
  }

  const leftovers = await workers.leftovers(3000);
  if (leftovers.length > 0) {
    log(`LEFT BEHIND: worker pid(s) ${leftovers.join(' ')} still alive after the bench; killing them`);
    workers.killAll();
  } else {
    log(`no worker left behind (${workers.seenCount} worker pid(s) seen, all gone)`);
  }

  const rows = ours ? compare(ours, anchors.floor ?? null, lib) : [];
  if (rows.length > 0) {
    process.stdout.write(`\nPyREPL3 runtime core vs. the pipe floor${cfg.quick ? ' (QUICK: small counts)' : ''}\n\n`);
    process.stdout.write(`${renderTable(rows)}\n\n${summarize(rows)}\n`);
    if (ours) process.stdout.write(`\ndiagnostics (ours):\n${diagnostics(ours)}\n`);
  }
  const jupyterNote = skipped.jupyter ? 'not run' : 'failed';
  const serverRows = server ? compareServer(server, anchors.floor ?? null, anchors.jupyter ?? null, jupyterNote, lib) : [];
  if (serverRows.length > 0 && server) {
    process.stdout.write(`\nPyREPL3 API server (pyrepl serve, REST + WebSocket) vs. the floors and Jupyter Server${cfg.quick ? ' (QUICK: small counts)' : ''}\n`);
    if (skipped.jupyter) process.stdout.write(`Jupyter: not run (${skipped.jupyter}${skipped.jupyter.startsWith('BENCH_') ? '' : '; `npm run bench:setup` installs it'}).\n`);
    process.stdout.write(`\n${renderTable(serverRows, { floorHeader: 'floor', jupyter: true })}\n\n${summarize(serverRows)}\n`);
    process.stdout.write(`\ndiagnostics (server):\n${serverDiagnostics(server)}\n`);
  }
  if (rows.length > 0 || serverRows.length > 0) {
    process.stdout.write(`\n${loadNote(foreign)}\n`);
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
    ours,
    server,
    anchors,
    anchors_not_run: skipped,
    table: rows,
    server_table: serverRows,
    workers: { seen: workers.seenCount, left_behind: leftovers },
    foreign_load_cores: foreign,
    errors,
  });
  process.stdout.write(`\nraw results: ${file}\n`);
  clearTimeout(deadline);
  if (leftovers.length > 0) return 2;
  return errors.length > 0 ? 1 : 0;
}

/** Other work on the machine skews both sides; say so when it was there. */
function loadNote(foreign: Record<string, number | null>): string {
  const parts = Object.entries(foreign).map(([k, v]) => `${k} ${v == null ? 'n/a' : v.toFixed(2)}`);
  const worst = Math.max(0, ...Object.values(foreign).map((v) => v ?? 0));
  const head = `other processes' CPU during the run, in cores (of ${os.availableParallelism()}): ${parts.join(', ')}`;
  return worst > 0.2 ? `${head}\nWARNING: the machine was busy with other work; rerun on a quiet machine before trusting the ratios.` : head;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`bench crashed: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
