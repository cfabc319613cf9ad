#!/usr/bin/env node
// The layer rule, as VS Code enforces its common/node/browser/electron-main split: which folder may import what.
// The per-layer tsconfigs already keep DOM types out of server/ and Node types out of protocol/ and renderer/;
// this check adds the rules types cannot express. Exit 1 with one line per violation.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';

const NODE_BUILTINS = /^(node:|(fs|path|os|child_process|net|http|https|crypto|stream|events|url|util|worker_threads|tty|dns|zlib|readline|process|buffer)(\/|$))/;

/** layer → predicate(import specifier, resolved layer of a relative import) → reason or null */
export const RULES = {
  protocol: (spec, target) =>
    (target && target !== 'protocol' && `protocol/ may import only protocol/ (imports ${target}/)`) ||
    (NODE_BUILTINS.test(spec) && 'protocol/ may not import Node built-ins') ||
    (spec === 'electron' && 'only electron/ may import electron') ||
    null,
  server: (spec, target) =>
    (spec === 'electron' && 'only electron/ may import electron') ||
    (target && !['server', 'protocol'].includes(target) && `server/ may import only server/ and protocol/ (imports ${target}/)`) ||
    null,
  renderer: (spec, target) =>
    (spec === 'electron' && 'only electron/ may import electron') ||
    (NODE_BUILTINS.test(spec) && 'renderer/ is browser code: no Node built-ins') ||
    (target && !['renderer', 'protocol', 'client'].includes(target) && `renderer/ may import only renderer/, protocol/ and client/ (imports ${target}/)`) ||
    null,
  // The typed client runs in browsers, Node and the renderer: protocol/ and itself only, no packages but zod (whose
  // z.infer gives the protocol's types; protocol/ depends on it already).
  client: (spec, target) =>
    (spec === 'electron' && 'only electron/ may import electron') ||
    (NODE_BUILTINS.test(spec) && 'client/ runs in browsers too: no Node built-ins') ||
    (target && !['client', 'protocol'].includes(target) && `client/ may import only client/ and protocol/ (imports ${target}/)`) ||
    (!target && !spec.startsWith('.') && spec !== 'zod' && `client/ may import no packages (imports ${spec})`) ||
    null,
  electron: (spec, target) =>
    (target === 'renderer' && 'electron/ must not import renderer/ code (it loads it over HTTP like any client)') || null,
  // Packaging runs in plain Node where Electron's binary may be absent: the electron package's index.js downloads it
  // on import. build/ reads the shell's pure modules from dist/ instead.
  build: (spec, target) =>
    (spec === 'electron' && "build/ runs in plain Node: importing 'electron' downloads its binary") ||
    (target === 'renderer' && 'build/ must not import renderer/ code') ||
    null,
};

const IMPORT_RE = /(?:^|[\s;])(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|(?:^|[^\w.])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/gm;

export function importsOf(source) {
  const specs = [];
  for (const m of source.matchAll(IMPORT_RE)) specs.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return specs;
}

/**
 * Layers whose *.test.ts files are exempt: their code must run without Node (browsers, the renderer), but their tests
 * run under node:test: protocol's use node:test and node:fs, client's start a real server (server/) and use the `ws`
 * package as Node's WebSocket, renderer's unit-test its pure modules with node:test. Tests are never shipped, so the
 * rule guards what is.
 */
const TESTS_EXEMPT = new Set(['protocol', 'client', 'renderer']);

export function checkFile(root, file, source) {
  const layer = relative(root, file).split(sep)[0];
  const rule = RULES[layer];
  if (!rule) return [];
  if (TESTS_EXEMPT.has(layer) && /\.test\.ts$/.test(file)) return [];
  const problems = [];
  for (const spec of importsOf(source)) {
    const target = spec.startsWith('.') ? relative(root, resolve(dirname(file), spec)).split(sep)[0] : null;
    const reason = rule(spec, target);
    if (reason) problems.push(`${relative(root, file)}: import '${spec}': ${reason}`);
  }
  return problems;
}

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(name)) out.push(full);
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const root = resolve(new URL('..', import.meta.url).pathname);
  const problems = [];
  for (const layer of Object.keys(RULES)) {
    let files = [];
    try {
      files = walk(join(root, layer), []);
    } catch {
      continue;
    }
    for (const file of files) problems.push(...checkFile(root, file, readFileSync(file, 'utf8')));
  }
  if (problems.length) {
    console.error(problems.join('\n'));
    console.error(`check-layers: ${problems.length} violation(s)`);
    process.exit(1);
  }
  console.log('check-layers: ok');
}
