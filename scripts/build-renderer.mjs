#!/usr/bin/env node
// Bundles the terminal page (renderer/) into dist/renderer/: index.html, assets/app.js (esbuild: TypeScript + the
// xterm.js packages in one ES module), assets/app.css and xterm's own stylesheet. The API server serves this folder
// at / and /assets/* (server/http/static.ts). Type checking is tsc -b's job; esbuild only strips types.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'dist', 'renderer');
const assets = join(out, 'assets');
const require = createRequire(import.meta.url);

rmSync(out, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });
await build({
  entryPoints: [join(root, 'renderer', 'main.ts')],
  outfile: join(assets, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox115', 'safari16'],
  minify: true,
  sourcemap: true,
  legalComments: 'linked', // xterm.js's MIT notices go to app.js.LEGAL.txt
  logLevel: 'warning',
});
copyFileSync(join(root, 'renderer', 'index.html'), join(out, 'index.html'));
copyFileSync(join(root, 'renderer', 'app.css'), join(assets, 'app.css'));
copyFileSync(join(dirname(require.resolve('@xterm/xterm/package.json')), 'css', 'xterm.css'), join(assets, 'xterm.css'));
console.log('build-renderer: dist/renderer/ ready');
