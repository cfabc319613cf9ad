/** The raw record of one run: bench/results/<UTC timestamp>.json, -quick.json for --quick (git-ignored). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
