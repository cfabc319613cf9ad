/**
 * The yardsticks in the shared anchors folder: its helper library (stats, /proc memory, machine info, the print-latency
 * code), and the anchor scripts we run beside our own measurements. Each anchor is one entry in ANCHORS: the floor
 * (floor_bench.mjs) always, Jupyter Server (jupyter_bench.mjs) when it is installed (`npm run bench:setup`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { log } from './log.js';

export interface Stats {
  n: number;
  min_ms: number | null;
  median_ms: number | null;
  mean_ms: number | null;
  p90_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
}

export interface ProcMem {
  pid: number;
  VmRSS_kB?: number;
  VmHWM_kB?: number;
  RssAnon_kB?: number;
  RssFile_kB?: number;
  RssShmem_kB?: number;
  Pss_kB?: number;
  threads?: number;
  error?: string;
}

/** What we use of lib.mjs, typed. Importing it (rather than copying) keeps the percentile method identical. */
export interface AnchorLib {
  now(): number;
  epochMs(): number;
  stats(samples: number[]): Stats;
  procMem(pid: number): ProcMem;
  procAlive(pid: number): boolean;
  machineInfo(): Record<string, unknown>;
  pythonVersion(python: string): string | null;
  PRINT_LATENCY_CODE: string;
  PRINT_LATENCY_LINES: number;
  PRINT_LATENCY_INTERVAL_S: number;
  collectLineLatencies(carry: string, text: string, recvEpoch: number, out: number[]): string;
}

export async function loadAnchorLib(anchorsDir: string): Promise<AnchorLib> {
  const file = join(anchorsDir, 'lib.mjs');
  if (!existsSync(file)) throw new Error(`anchors helper library not found: ${file} (set PYREPL_BENCH_ANCHORS)`);
  const mod = (await import(pathToFileURL(file).href)) as AnchorLib;
  for (const name of ['stats', 'procMem', 'procAlive', 'machineInfo', 'collectLineLatencies', 'epochMs'] as const) {
    if (typeof mod[name] !== 'function') throw new Error(`${file} has no ${name}(); the anchors folder changed`);
  }
  if (typeof mod.PRINT_LATENCY_CODE !== 'string') throw new Error(`${file} has no PRINT_LATENCY_CODE`);
  return mod;
}

export interface AnchorSpec {
  /** Key in the results JSON and in compare.ts / server-compare.ts. */
  name: string;
  script: string;
  quickFlag: string;
  /** Why this anchor cannot run on this machine (one line), or null when it can. Absent: it always can. */
  unavailable?: () => string | null;
}

/** What jupyter_bench.mjs runs (its own defaults, and the same environment variables). */
const JUPYTER_SERVER_BIN = process.env.JUPYTER_SERVER_BIN || '/usr/bin/jupyter-server';
const JUPYTER_PYTHON = process.env.JUPYTER_PYTHON || '/usr/bin/python3.11';

/** Null when `jupyter-server --version` runs and Debian's python imports jupyter_server and ipykernel. */
export function jupyterUnavailable(): string | null {
  const run = (cmd: string, args: string[]): boolean => {
    try {
      return spawnSync(cmd, args, { stdio: 'ignore', timeout: 20_000 }).status === 0;
    } catch {
      return false;
    }
  };
  if (!run(JUPYTER_SERVER_BIN, ['--version'])) return `${JUPYTER_SERVER_BIN} is missing`;
  if (!run(JUPYTER_PYTHON, ['-c', 'import jupyter_server, ipykernel, jupyter_client'])) {
    return `${JUPYTER_PYTHON} cannot import jupyter_server, ipykernel and jupyter_client`;
  }
  return null;
}

/** The anchors run by `npm run bench`, in this order, before ours. Jupyter takes ~70-90 s (~35 s with --quick). */
export const ANCHORS: readonly AnchorSpec[] = [
  { name: 'floor', script: 'floor_bench.mjs', quickFlag: '--quick' },
  { name: 'jupyter', script: 'jupyter_bench.mjs', quickFlag: '--quick', unavailable: jupyterUnavailable },
];

export interface AnchorRun {
  name: string;
  script: string;
  wall_s: number;
  /** The script's one JSON object. */
  output: Record<string, unknown>;
}

/**
 * Runs one anchor script with the project root as cwd (it loads `ws` from the calling project), progress on our
 * stderr, and parses the single JSON object it prints. Bounded: SIGTERM (the scripts clean up on it), then SIGKILL.
 */
export function runAnchor(
  spec: AnchorSpec,
  opts: { anchorsDir: string; projectRoot: string; quick: boolean; timeoutMs: number; onSpawn?: (pid: number) => void },
): Promise<AnchorRun> {
  const script = join(opts.anchorsDir, spec.script);
  if (!existsSync(script)) return Promise.reject(new Error(`anchor script not found: ${script}`));
  const args = [script, ...(opts.quick ? [spec.quickFlag] : [])];
  log(`anchor ${spec.name}: node ${args.join(' ')} (cwd ${opts.projectRoot})`);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: opts.projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      for (const line of c.toString('utf8').split('\n')) if (line) process.stderr.write(`  [${spec.name}] ${line}\n`);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      log(`anchor ${spec.name}: no result within ${opts.timeoutMs} ms; stopping it`);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, opts.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return reject(new Error(`anchor ${spec.name} timed out after ${opts.timeoutMs} ms`));
      if (code !== 0) return reject(new Error(`anchor ${spec.name} exited with ${code ?? signal}`));
      const text = Buffer.concat(out).toString('utf8');
      try {
        const output = JSON.parse(text) as Record<string, unknown>;
        resolve({ name: spec.name, script, wall_s: Math.round(performance.now() - t0) / 1000, output });
      } catch (err) {
        reject(new Error(`anchor ${spec.name} printed no JSON object: ${(err as Error).message}: ${text.slice(0, 200)}`));
      }
    });
  });
}
