/**
 * Packages the app for real with electron-builder, but around a stand-in Electron (a folder with a script named
 * `electron`), as the unpacked Linux app (`dir` target: no installer tools, no network). What comes out is exactly
 * what an installer would carry: app.asar made from the config's `files` and the production node_modules, and the
 * extraResources next to it. pack:check then reads it to prove the config ships what the app needs.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asarFiles } from './asar.js';
import { makeBuilderConfig, PYTHON_RESOURCE, RUNTIME_RESOURCE } from './electron-builder.config.js';

/** The file names electron-builder expects in an unpacked Linux Electron. */
function makeStandInElectron(dir: string): string {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  mkdirSync(join(dir, 'locales'), { recursive: true });
  writeFileSync(join(dir, 'electron'), '#!/bin/sh\necho "stand-in Electron used by build/stand-in-package.ts"\nexit 1\n');
  chmodSync(join(dir, 'electron'), 0o755);
  for (const name of ['LICENSE', 'LICENSES.chromium.html', 'version', 'chrome-sandbox']) writeFileSync(join(dir, name), '');
  return dir;
}

/**
 * Runs `fn` with electron-builder's progress lines held back (they would bury a check's own output); when it fails,
 * they are added to the error.
 */
export async function quietBuilderLog<T>(fn: () => Promise<T>): Promise<T> {
  const { log } = await import('electron-builder');
  // Its Logger declares the stream protected; only write() is called on it.
  const logger = log as unknown as { stream: { write(chunk: string): unknown } };
  const logged: string[] = [];
  const stream = logger.stream;
  logger.stream = { write: (chunk: string) => logged.push(chunk) };
  try {
    return await fn();
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nelectron-builder's log:\n${logged.join('')}`);
  } finally {
    logger.stream = stream;
  }
}

export interface StandInPackage {
  /** release-like folder: the executable, resources/app.asar, resources/python-runtime, … */
  appDir: string;
  resources: string;
  /** Paths inside app.asar, e.g. "dist/electron/main.js". */
  asar: string[];
}

export interface StandInOptions {
  root: string;
  bundledPythonDir?: string | null;
  /** Where to write; a fresh temporary folder by default. */
  outDir?: string;
  /** Replaces package.json's main (for tests run before electron/ is built). */
  main?: string;
}

export async function packageWithStandIn(options: StandInOptions): Promise<StandInPackage> {
  // Loaded here, not at the top: electron-builder is a large CommonJS tree that only this check needs.
  const { build, Platform, Arch } = await import('electron-builder');
  const work = options.outDir ?? mkdtempSync(join(tmpdir(), 'pyrepl-pack-'));
  const electronDist = makeStandInElectron(join(work, 'electron-stand-in'));
  const base = makeBuilderConfig({ bundledPythonDir: options.bundledPythonDir ?? null, electronDist, fuses: false });
  const config = {
    ...base,
    directories: { ...base.directories, output: join(work, 'out') },
    ...(options.main ? { extraMetadata: { main: options.main } } : {}),
  };
  await quietBuilderLog(() => build({ projectDir: options.root, targets: Platform.LINUX.createTarget('dir', Arch.x64), config, publish: 'never' }));
  const appDir = join(work, 'out', 'linux-unpacked');
  const resources = join(appDir, 'resources');
  return { appDir, resources, asar: asarFiles(join(resources, 'app.asar')) };
}

export interface PackageExpectations {
  /** package.json's main, e.g. dist/electron/main.js */
  main: string;
  preload: string;
  /** Runtime dependencies (package.json "dependencies"). */
  dependencies: string[];
  /** The worker's modules that must be next to app.asar. */
  workerFiles: string[];
  /** When set, resources/python must hold this executable (relative to it) and precompiled stdlib. */
  bundledExecutable?: string | null;
}

/** Whether the tree holds os.py's compiled cache (lib/python3.N/__pycache__ or Lib/__pycache__). */
function hasCompiledOs(python: string): boolean {
  const libs = [join(python, 'Lib')];
  if (existsSync(join(python, 'lib'))) libs.push(...readdirSync(join(python, 'lib')).map((name) => join(python, 'lib', name)));
  return libs.some((lib) => existsSync(join(lib, '__pycache__')) && readdirSync(join(lib, '__pycache__')).some((f) => /^os\..*\.pyc$/.test(f)));
}

/** What is wrong with a packaged app (empty when nothing is). */
export function checkPackagedApp(pkg: StandInPackage, expect: PackageExpectations): string[] {
  const problems: string[] = [];
  const inAsar = new Set(pkg.asar);
  const need = ['package.json', expect.main, expect.preload, 'dist/renderer/index.html', 'dist/renderer/assets/app.js', 'server/static/index.html'];
  for (const file of need) if (!inAsar.has(file)) problems.push(`app.asar lacks ${file}`);
  for (const dep of expect.dependencies) if (!inAsar.has(`node_modules/${dep}/package.json`)) problems.push(`app.asar lacks the dependency ${dep}`);
  const stray = pkg.asar.filter((f) => f.startsWith('dist/') && (/\.(map|d\.ts|test\.js|tsbuildinfo)$/.test(f) || f.startsWith('dist/renderer-tsc/')));
  if (stray.length > 0) problems.push(`app.asar carries build leftovers: ${stray.slice(0, 5).join(', ')}${stray.length > 5 ? ', …' : ''}`);
  const worker = join(pkg.resources, RUNTIME_RESOURCE, 'pyrepl_worker');
  for (const file of expect.workerFiles) if (!existsSync(join(worker, file))) problems.push(`resources/${RUNTIME_RESOURCE}/pyrepl_worker lacks ${file}`);
  if (existsSync(join(pkg.resources, RUNTIME_RESOURCE, 'tests'))) problems.push(`resources/${RUNTIME_RESOURCE} carries the Python tests`);
  if (existsSync(join(worker, '__pycache__'))) problems.push(`resources/${RUNTIME_RESOURCE} carries a __pycache__ from the build machine`);
  const python = join(pkg.resources, PYTHON_RESOURCE);
  if (expect.bundledExecutable) {
    const exe = join(python, expect.bundledExecutable);
    if (!existsSync(exe)) problems.push(`resources/${PYTHON_RESOURCE} lacks ${expect.bundledExecutable}`);
    else if (!(statSync(exe).mode & 0o111)) problems.push(`resources/${PYTHON_RESOURCE}/${expect.bundledExecutable} is not executable`);
    if (!hasCompiledOs(python)) problems.push(`resources/${PYTHON_RESOURCE} has no precompiled standard library (__pycache__/os.*.pyc)`);
  } else if (existsSync(python)) {
    problems.push(`resources/${PYTHON_RESOURCE} exists in a package built without PYREPL_BUNDLE_PYTHON`);
  }
  return problems;
}
