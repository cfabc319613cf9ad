#!/usr/bin/env node
// The `pyrepl` command: runs the compiled CLI (npm run build), or says how to build it.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/server/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('pyrepl: not built yet. Run `npm run build` (or `npm install`, which builds) first.');
  process.exit(1);
}
await import(cli.href);
