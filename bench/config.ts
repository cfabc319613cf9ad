/**
 * What one bench run does: where things are, which interpreter, how many samples, how long anything may take.
 * The counts mirror floor_bench.mjs (full and --quick) so that both sides are measured the same way.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The project root: the nearest folder above this file with a package.json (bench/ from the sources, dist/bench/ built). */
export const PROJECT_ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

export interface BenchConfig {
  quick: boolean;
  projectRoot: string;
  anchorsDir: string;
  resultsDir: string;
  /** The interpreter of our sessions: the floor's default (FLOOR_PYTHON overrides both). */
  python: string;
  /** BENCH_SKIP_JUPYTER=1: leave jupyter_bench.mjs out even when Jupyter Server is installed. */
  skipJupyter: boolean;
  /**
   * How many times the floor, the core and the server are measured, in turn (BENCH_RUNS, --runs N); the tables give
   * the medians. 3 for a full run: single runs here moved ratios by up to 2x; 1 with --quick.
   */
  runs: number;
  counts: {
    coldStartRuns: number;
    rttWarmup: number;
    rttRuns: number;
    poolMinIdle: number;
    poolMaxSessions: number;
    poolSamples: number;
    streamLines: number;
    streamReps: number;
    inputWarmup: number;
    inputRuns: number;
    idleSettleMs: number;
    concSessions: number;
    concOps: number;
    concWarmup: number;
  };
  /** The API server's measurements (server-suite.ts): a server child process, driven over REST and WebSocket. */
  server: {
    /** `--min-idle`: warm sessions kept ready (the one-shot samples wait until the pool is back at this). */
    minIdle: number;
    /** `--max-sessions`: room for the observers test's sessions plus the warm ones. */
    maxSessions: number;
    oneShotWarmup: number;
    oneShotRuns: number;
    /** REST execute on an existing session (diagnostic beside the one-shot). */
    restRuns: number;
    /** RSS of the server sampled this often during the 20 MB runs. */
    rssSampleMs: number;
    /**
     * Lines (× 100 chars) of the run with a stalled observer: 20 MB also with --quick, since a stalled observer only
     * falls behind once the loopback socket buffers (several MB) are full.
     */
    stalledObserverLines: number;
    /** Sessions × observers per session, each session printing `observerLines` × 100 chars. */
    observerSessions: number;
    observersPerSession: number;
    observerLines: number;
    /** Where to write a CPU profile of the server (node --cpu-prof); null: no profile. BENCH_SERVER_CPU_PROF. */
    cpuProfDir: string | null;
  };
  timeouts: {
    /** One ordinary execution (`1+1`, input, print latency). */
    executeMs: number;
    /** One 20 MB streaming execution. */
    streamMs: number;
    /** Waiting for the pool to be back at min_idle after a release. */
    poolRefillMs: number;
    /** Session.create / pool.start. */
    startMs: number;
    /** The whole anchor script (floor_bench.mjs, jupyter_bench.mjs). */
    anchorMs: number;
    /** The server printing its URL; and its exit after SIGTERM (then SIGKILL). */
    serverStartMs: number;
    serverStopMs: number;
    /** A WebSocket connecting (and getting session_created / session_attached). */
    wsOpenMs: number;
    /** The whole bench: past this, every worker is killed and the run fails. */
    hardDeadlineMs: number;
  };
}

export const USAGE = `usage: npm run bench [-- --quick] [-- --runs N]
  --quick        small counts (same as the floor's --quick); also BENCH_QUICK=1
  --runs N       measure the floor, the core and the server N times in turn and report the medians
                 (default 3, 1 with --quick); also BENCH_RUNS=N
env: FLOOR_PYTHON (interpreter of the floor and of our sessions, default /usr/bin/python3.11)
     PYREPL_BENCH_ANCHORS (anchors folder, default <project root>/../shared/bench-anchors)
     BENCH_SERVER_CPU_PROF=DIR (run the API server under node --cpu-prof, profile written to DIR)
     BENCH_SKIP_JUPYTER=1 (do not run jupyter_bench.mjs even when Jupyter Server is installed)`;

export function benchConfig(argv: readonly string[], env: NodeJS.ProcessEnv): BenchConfig {
  let values: { quick?: boolean; runs?: string };
  try {
    ({ values } = parseArgs({ args: [...argv], options: { quick: { type: 'boolean' }, runs: { type: 'string' } }, strict: true }));
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${USAGE}`);
  }
  const quick = values.quick === true || env.BENCH_QUICK === '1';
  const runsText = values.runs ?? env.BENCH_RUNS;
  const runs = runsText === undefined ? (quick ? 1 : 3) : Number(runsText);
  if (!Number.isInteger(runs) || runs < 1 || runs > 20) throw new Error(`--runs / BENCH_RUNS must be a whole number from 1 to 20, not ${JSON.stringify(runsText)}\n${USAGE}`);
  return {
    quick,
    projectRoot: PROJECT_ROOT,
    anchorsDir: resolve(env.PYREPL_BENCH_ANCHORS ?? join(PROJECT_ROOT, '..', 'shared', 'bench-anchors')),
    resultsDir: join(PROJECT_ROOT, 'bench', 'results'),
    python: env.FLOOR_PYTHON || '/usr/bin/python3.11',
    skipJupyter: env.BENCH_SKIP_JUPYTER === '1',
    runs,
    counts: {
      coldStartRuns: quick ? 2 : 5,
      rttWarmup: quick ? 5 : 20,
      rttRuns: quick ? 30 : 300,
      poolMinIdle: 3,
      poolMaxSessions: 6,
      poolSamples: quick ? 10 : 30,
      streamLines: quick ? 20_000 : 200_000,
      streamReps: quick ? 1 : 2,
      inputWarmup: quick ? 2 : 5,
      inputRuns: quick ? 10 : 50,
      idleSettleMs: 1500,
      concSessions: quick ? 3 : 8,
      concOps: quick ? 10 : 50,
      concWarmup: 3,
    },
    server: {
      minIdle: 2,
      maxSessions: 12,
      oneShotWarmup: quick ? 2 : 5,
      oneShotRuns: quick ? 10 : 50,
      restRuns: quick ? 30 : 300,
      rssSampleMs: 20,
      stalledObserverLines: 200_000,
      observerSessions: quick ? 4 : 10,
      observersPerSession: quick ? 4 : 10,
      observerLines: 10_000,
      cpuProfDir: env.BENCH_SERVER_CPU_PROF ? resolve(env.BENCH_SERVER_CPU_PROF) : null,
    },
    timeouts: {
      executeMs: 30_000,
      streamMs: 120_000,
      poolRefillMs: 15_000,
      startMs: 30_000,
      anchorMs: quick ? 3 * 60_000 : 6 * 60_000,
      serverStartMs: 30_000,
      serverStopMs: 15_000,
      wsOpenMs: 15_000,
      hardDeadlineMs: quick ? 5 * 60_000 : 10 * 60_000,
    },
  };
}

/** The 20 MB (full) streaming code, exactly as the floor runs it. */
export const streamCode = (lines: number): string => `import sys\nfor i in range(${lines}): sys.stdout.write('x'*99+'\\n')`;
