#!/usr/bin/env node
// Runs every *.test.ts under the source layers with node:test (through tsx, since Node 20 cannot strip types).
// Node 20's --test takes no globs, so the files are listed here. Extra arguments are passed through
// (e.g. `npm run test:node -- --test-name-pattern=pool`); arguments ending in .ts select files.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const LAYERS = ['protocol', 'client', 'server', 'renderer', 'electron', 'scripts', 'build', 'bench'];
const SKIP = new Set(['node_modules', 'dist', '__pycache__']);

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (SKIP.has(name)) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, full));
  }
  return out;
}

const args = process.argv.slice(2);
const chosen = args.filter((a) => a.endsWith('.ts'));
const passthrough = args.filter((a) => !a.endsWith('.ts'));
const files = chosen.length > 0 ? chosen : LAYERS.flatMap((layer) => walk(join(root, layer), [])).sort();
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...passthrough, ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
