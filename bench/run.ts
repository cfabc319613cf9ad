/**
 * `npm run bench [-- --quick]`: the pipe floor (floor_bench.mjs) and our runtime core, measured the same way in the
 * same run, then a table against the issue's targets and the raw JSON in bench/results/. See bench/README.md.
 *
 * Exit code: 0 when the bench ran (even if targets are missed: the table says so); 1 when the bench itself failed
 * (a measurement or the anchor failed); 2 on bad arguments or a worker left behind; 3 on the hard deadline.
 */
import os from 'node:os';
import { ANCHORS, loadAnchorLib, runAnchor, type AnchorRun } from './anchors.js';
import { benchConfig, USAGE, type BenchConfig } from './config.js';
import { compare } from './compare.js';
import { ForeignLoad } from './cpu.js';
import { diagnostics } from './diagnostics.js';
import { log, r3 } from './log.js';
import { OursSuite, preflight, type OursResults } from './ours.js';
import { writeResults } from './results.js';
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

  const emergency = (why: string, code: number): void => {
    log(`${why}: killing every worker of this run`);
    const killed = workers.killAll();
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

  log(`bench ${cfg.quick ? '(quick) ' : ''}python ${cfg.python}, anchors ${cfg.anchorsDir}`);
  let pythonVersion: string | null = null;
  try {
    pythonVersion = await preflight(cfg, workers);
    log(`preflight ok: a session answers 1+1 (python ${pythonVersion})`);
  } catch (err) {
    log(`preflight FAILED: ${(err as Error).stack ?? String(err)}`);
    errors.push({ stage: 'preflight', error: String((err as Error).message ?? err) });
  }

  const anchors: Record<string, AnchorRun['output'] | null> = {};
  const foreign: Record<string, number | null> = {};
  let ours: OursResults | null = null;
  if (errors.length === 0) {
    for (const spec of ANCHORS) {
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
    process.stdout.write(`\n${loadNote(foreign)}\n`);
  }
  if (errors.length > 0) process.stdout.write(`\nBENCH FAILED:\n${errors.map((e) => `  ${e.stage}: ${e.error}`).join('\n')}\n`);

  const file = writeResults(cfg.resultsDir, startedAt, cfg.quick, {
    tool: 'pyrepl-bench',
    started_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    total_s: r3((performance.now() - t0) / 1000),
    quick: cfg.quick,
    machine: lib.machineInfo(),
    config: { python: cfg.python, python_version: pythonVersion, anchors_dir: cfg.anchorsDir, counts: cfg.counts, timeouts: cfg.timeouts },
    ours,
    anchors,
    table: rows,
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
