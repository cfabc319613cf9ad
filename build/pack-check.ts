/**
 * `npm run pack:check`: verifies the packaging without Electron (which cannot be downloaded everywhere): the config
 * loads and passes electron-builder's schema, every path it copies exists and holds what it should, the built entry
 * points exist, the shell's packaged-resource layout and Python lookup order agree with the config, a bundled Python
 * (PYREPL_BUNDLE_PYTHON) has the install_only layout, and, unless --quick, a real electron-builder run around a
 * stand-in Electron ships all of it. Run after `npm run build`. Exit 1 with one line per problem.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkInstallOnlyLayout, relativeExecutable } from './bundle-python.js';
import { APP_FILES, extraResources, makeBuilderConfig, PYTHON_RESOURCE, ROOT, RUNTIME_RESOURCE } from './electron-builder.config.js';
import { checkPackagedApp, packageWithStandIn, quietBuilderLog } from './stand-in-package.js';

/** The preload, as electron/ builds it (package.json main is read from package.json). */
export const PRELOAD = 'dist/electron/preload.cjs';

/** The worker modules the server's bootstrap imports (server/session/worker-process.ts: pyrepl_worker.main). */
export const WORKER_FILES = ['__init__.py', 'main.py'];

export interface CheckResult {
  name: string;
  problems: string[];
  /** Why the check did not run, when it did not. */
  skipped?: string;
}

/** The static part of a glob: what must exist for the pattern to match anything. */
function globBase(pattern: string): string {
  const parts = pattern.split('/');
  const stop = parts.findIndex((p) => /[*?{[]/.test(p));
  return (stop === -1 ? parts : parts.slice(0, stop)).join('/');
}

/** Every `files` pattern and extraResources `from` resolves under `root`; the worker folder holds the worker. */
export function checkSources(root: string, bundledPythonDir: string | null = null): CheckResult {
  const problems: string[] = [];
  for (const pattern of APP_FILES.filter((p) => !p.startsWith('!'))) {
    const base = globBase(pattern);
    if (!existsSync(join(root, base))) problems.push(`files: ${pattern}: ${base} does not exist (npm run build?)`);
  }
  for (const set of extraResources(bundledPythonDir)) {
    const from = resolve(root, set.from ?? '');
    if (!existsSync(from) || !statSync(from).isDirectory()) {
      problems.push(`extraResources: ${set.from} → ${set.to}: not a directory`);
      continue;
    }
    if (set.to?.startsWith(RUNTIME_RESOURCE)) {
      for (const file of WORKER_FILES) if (!existsSync(join(from, file))) problems.push(`extraResources: ${set.from} lacks ${file}`);
    }
  }
  return { name: 'config paths resolve', problems };
}

/** package.json's main and the preload exist (they are tsc's output: run `npm run build`). */
export function checkEntryPoints(root: string): CheckResult {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main?: string };
  const problems: string[] = [];
  if (!manifest.main) problems.push('package.json has no "main" (the Electron main process, dist/electron/main.js)');
  else if (!existsSync(join(root, manifest.main))) problems.push(`package.json main ${manifest.main} does not exist (npm run build?)`);
  if (!existsSync(join(root, PRELOAD))) problems.push(`the preload ${PRELOAD} does not exist (npm run build?)`);
  return { name: 'entry points built', problems };
}

/** The file electron-builder reads (its own loader, as `npx electron-builder --config …` would) passes its schema. */
export async function checkConfigLoads(root: string): Promise<CheckResult> {
  const require = createRequire(join(root, 'package.json'));
  // app-builder-lib is electron-builder's engine; its loader and validator are what `electron-builder` runs.
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    getConfig(projectDir: string, configPath: string): Promise<Record<string, unknown>>;
    validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
  };
  const problems: string[] = [];
  try {
    const loaded = await quietBuilderLog(() => getConfig(root, 'build/electron-builder.config.ts'));
    if (loaded.productName !== 'PyREPL3') problems.push(`loaded config has productName ${String(loaded.productName)}`);
    await validateConfiguration(loaded, { isEnabled: false, add() {} });
    await validateConfiguration(makeBuilderConfig({ bundledPythonDir: '/bundled', electronDist: '/electron' }), { isEnabled: false, add() {} });
  } catch (error) {
    problems.push(`electron-builder rejects the config: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { name: 'config loads and validates', problems };
}

interface ShellLayout {
  RUNTIME_RESOURCE_DIR: string;
  PYTHON_RESOURCE_DIR: string;
  packagedRuntimeDir(resourcesPath: string): string;
  bundledPythonExecutable(resourcesPath: string, platform: NodeJS.Platform): string;
}
interface ShellPythonChoice {
  choosePython(input: {
    bundled?: string;
    exists?: (path: string) => boolean;
    env: Record<string, string | undefined>;
    preferences: { pythonPath?: string | null };
    probe: (path: string) => { ok: true; version: string } | { ok: false; reason: string };
    platform?: NodeJS.Platform;
  }): Promise<{ ok: boolean; source: string; path: string }>;
}

/**
 * The shell (electron/shell, as built into dist/) looks for the runtime and the interpreter where the config puts
 * them, and picks Python in the promised order: bundled → PYREPL_PYTHON → preferences → PATH. Run against a fake
 * resources folder with and without python/.
 */
export async function checkShellLayout(root: string): Promise<CheckResult> {
  const problems: string[] = [];
  const shell = join(root, 'dist', 'electron', 'shell');
  let layout: ShellLayout;
  let choice: ShellPythonChoice;
  try {
    layout = (await import(pathToFileURL(join(shell, 'resource-layout.js')).href)) as ShellLayout;
    choice = (await import(pathToFileURL(join(shell, 'python-choice.js')).href)) as ShellPythonChoice;
  } catch (error) {
    return { name: 'shell resource layout and Python order', problems: [`cannot load the shell's modules from ${shell} (npm run build?): ${String(error)}`] };
  }
  if (layout.RUNTIME_RESOURCE_DIR !== RUNTIME_RESOURCE) problems.push(`shell expects resources/${layout.RUNTIME_RESOURCE_DIR}, the config ships resources/${RUNTIME_RESOURCE}`);
  if (layout.PYTHON_RESOURCE_DIR !== PYTHON_RESOURCE) problems.push(`shell expects resources/${layout.PYTHON_RESOURCE_DIR}, the config ships resources/${PYTHON_RESOURCE}`);
  const resources = mkdtempSync(join(tmpdir(), 'pyrepl-resources-'));
  try {
    if (layout.packagedRuntimeDir(resources) !== join(resources, RUNTIME_RESOURCE)) problems.push(`packagedRuntimeDir gives ${layout.packagedRuntimeDir(resources)}`);
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const expected = join(resources, PYTHON_RESOURCE, relativeExecutable(platform)).replaceAll('\\', '/');
      const actual = layout.bundledPythonExecutable(resources, platform).replaceAll('\\', '/');
      if (actual !== expected) problems.push(`bundledPythonExecutable(…, ${platform}) gives ${actual}, the package has ${expected}`);
    }
    const bundled = layout.bundledPythonExecutable(resources, process.platform);
    const pick = (env: Record<string, string>, pythonPath: string | null) =>
      choice.choosePython({ bundled, exists: existsSync, env, preferences: { pythonPath }, probe: () => ({ ok: true, version: '3.12.0' }), platform: process.platform });
    const env = { PYREPL_PYTHON: '/from/env/python3' };
    const prefs = '/from/prefs/python3';
    mkdirSync(dirname(bundled), { recursive: true });
    writeFileSync(bundled, '');
    const chosen = [await pick(env, prefs)];
    rmSync(join(resources, PYTHON_RESOURCE), { recursive: true });
    chosen.push(await pick(env, prefs), await pick({}, prefs), await pick({}, null));
    const expected = ['bundled', 'PYREPL_PYTHON', 'preferences', 'PATH'];
    const cases = ['with resources/python', 'without it, PYREPL_PYTHON set', 'then preferences', 'then nothing set'];
    chosen.forEach((r, i) => {
      if (r.source !== expected[i]) problems.push(`Python order: ${cases[i]}: chose ${r.source}, expected ${expected[i]}`);
    });
  } finally {
    rmSync(resources, { recursive: true, force: true });
  }
  return { name: 'shell resource layout and Python order', problems };
}

export function checkBundledPython(env: NodeJS.ProcessEnv = process.env): CheckResult {
  const name = 'bundled Python layout';
  if (!env.PYREPL_BUNDLE_PYTHON) return { name, problems: [], skipped: 'PYREPL_BUNDLE_PYTHON is not set (the package uses the system Python)' };
  const report = checkInstallOnlyLayout(env.PYREPL_BUNDLE_PYTHON);
  return { name: `${name} (${report.dir}${report.version ? `, Python ${report.version}` : ''})`, problems: report.problems };
}

/** electron-builder packages the app around a stand-in Electron; the result carries what the app needs. */
export async function checkStandInPackage(root: string): Promise<CheckResult> {
  const name = 'electron-builder packages it (stand-in Electron, unpacked linux app)';
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main?: string; dependencies?: Record<string, string> };
  if (!manifest.main || !existsSync(join(root, manifest.main))) return { name, problems: [], skipped: 'no built main entry (see above)' };
  const work = mkdtempSync(join(tmpdir(), 'pyrepl-pack-'));
  try {
    const pkg = await packageWithStandIn({ root, outDir: work });
    const problems = checkPackagedApp(pkg, { main: manifest.main, preload: PRELOAD, dependencies: Object.keys(manifest.dependencies ?? {}), workerFiles: WORKER_FILES });
    return { name, problems };
  } catch (error) {
    return { name, problems: [`electron-builder failed: ${error instanceof Error ? error.message : String(error)}`] };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function runChecks(root = ROOT, options: { quick?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<CheckResult[]> {
  const results = [checkSources(root), checkEntryPoints(root), await checkConfigLoads(root), await checkShellLayout(root), checkBundledPython(options.env)];
  if (options.quick) results.push({ name: 'electron-builder packages it', problems: [], skipped: '--quick' });
  else results.push(await checkStandInPackage(root));
  return results;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const results = await runChecks(ROOT, { quick: process.argv.includes('--quick') });
  for (const r of results) {
    const mark = r.skipped ? 'skip' : r.problems.length === 0 ? ' ok ' : 'FAIL';
    console.log(`[${mark}] ${r.name}${r.skipped ? `: ${r.skipped}` : ''}`);
    for (const p of r.problems) console.log(`       ${p}`);
  }
  const failed = results.filter((r) => r.problems.length > 0).length;
  console.log(failed === 0 ? 'pack:check: ok' : `pack:check: ${failed} check(s) failed`);
  // Exit explicitly: signal-exit 3 (which electron-builder loads through proper-lockfile) replaces process.reallyExit
  // and ends the process with status 0 when it drains, whatever process.exitCode says: that would hide a failed check.
  process.exit(failed === 0 ? 0 : 1);
}
