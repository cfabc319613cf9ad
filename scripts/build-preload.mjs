#!/usr/bin/env node
// Bundles the Electron preload (electron/preload.ts and the shell constants it uses) into dist/electron/preload.cjs.
// A sandboxed preload cannot load ES modules or other files: it must be one CommonJS script whose only require is
// 'electron' (the sandbox's own). Type checking is tsc -b's job (electron/tsconfig.json); esbuild only strips types.
import { build } from 'esbuild';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

export async function buildPreload(outfile = join(root, 'dist', 'electron', 'preload.cjs')) {
  await build({
    entryPoints: [join(root, 'electron', 'preload.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'browser', // the sandbox gives a preload no Node built-ins; bundling for the browser keeps it honest
    target: ['chrome130'],
    external: ['electron'],
    sourcemap: true,
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  const out = await buildPreload();
  console.log(`build-preload: ${out.slice(root.length)} ready`);
}
