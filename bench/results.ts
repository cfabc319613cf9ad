/** The raw record of one run: bench/results/<UTC timestamp>.json, -quick.json for --quick (git-ignored). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Which code was measured: the commit, and the files changed since it outside bench/ (the measured code may move
 * under a long run on a shared checkout). Null fields when git is not available.
 */
export function gitInfo(projectRoot: string): { commit: string | null; subject: string | null; changed_outside_bench: string[] | null } {
  const git = (args: string[]): string | null => {
    try {
      return execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trimEnd();
    } catch {
      return null;
    }
  };
  const status = git(['status', '--porcelain', '--untracked-files=no']);
  return {
    commit: git(['rev-parse', '--short=12', 'HEAD']),
    subject: git(['log', '-1', '--format=%s']),
    changed_outside_bench: status == null ? null : status.split('\n').filter(Boolean).map((l) => l.slice(3)).filter((f) => !f.startsWith('bench/')),
  };
}

/** 2026-11-26T09-31-32Z: an ISO time that is a safe file name everywhere. */
export function fileStamp(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

export function writeResults(dir: string, startedAt: Date, quick: boolean, record: unknown): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${fileStamp(startedAt)}${quick ? '-quick' : ''}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}
