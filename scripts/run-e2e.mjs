#!/usr/bin/env node
// Runs the browser end-to-end tests (e2e/*.test.ts) with node:test: a real server with real Python workers, driven
// through Debian's Chromium by playwright-core. One file at a time (each starts a server and a browser; the machine
// may have two cores). Needs the built page (npm run build) and /usr/bin/chromium (or PYREPL_CHROMIUM).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const chromium = process.env.PYREPL_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`run-e2e: no Chromium at ${chromium} (apt-get install -y chromium, or set PYREPL_CHROMIUM)`);
  process.exit(1);
}
if (!existsSync(join(root, 'dist', 'renderer', 'assets', 'app.js'))) {
  console.error('run-e2e: the page is not built (npm run build)');
  process.exit(1);
}
const args = process.argv.slice(2);
const chosen = args.filter((a) => a.endsWith('.ts'));
const passthrough = args.filter((a) => !a.endsWith('.ts'));
const files = chosen.length > 0 ? chosen : readdirSync(join(root, 'e2e')).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join('e2e', f));
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...passthrough, ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PYREPL_CHROMIUM: chromium },
});
process.exit(result.status ?? 1);
