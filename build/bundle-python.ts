/**
 * The optional bundled interpreter: a python-build-standalone "install_only" tree, given at build time as
 * PYREPL_BUNDLE_PYTHON=path, checked, copied to release/staging/python and precompiled, then shipped by electron-builder
 * as <resources>/python. Without it the package uses the system's Python.
 *
 *   node --import tsx build/bundle-python.ts /path/to/python    check + prepare (what `npm run dist` does)
 *   node --import tsx build/bundle-python.ts --check /path      check the layout only
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT, STAGED_PYTHON_DIR } from './electron-builder.config.js';

/** The oldest Python the worker supports (python-runtime/README.md). */
export const MIN_PYTHON: readonly [number, number] = [3, 9];

/** Running the interpreter once must not hang a build; a healthy one answers in well under a second. */
const PROBE_TIMEOUT_MS = 30_000;

/** Precompiling the stdlib takes a minute at most on a slow machine; past this something is wrong. */
const COMPILE_TIMEOUT_MS = 10 * 60_000;

/**
 * CPython's own test suite deliberately contains files that do not compile (badsyntax_*, bad_coding*); compileall
 * would fail on them. Tests are never imported by the REPL's users' code in a way that needs them precompiled.
 */
const COMPILE_EXCLUDE = String.raw`[/\\](test|tests|idle_test|lib2to3)[/\\]`;

/** The install_only executable, relative to the tree: bin/python3 (linux, mac) or python.exe (Windows). */
export function relativeExecutable(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'python.exe' : join('bin', 'python3');
}

/** python-build-standalone archives unpack to a python/ folder; accept that folder or the one holding it. */
export function resolveInstallDir(dir: string, platform: NodeJS.Platform = process.platform): string {
  const inner = join(dir, 'python');
  if (!existsSync(join(dir, relativeExecutable(platform))) && existsSync(join(inner, relativeExecutable(platform)))) return inner;
  return dir;
}

/** Where the standard library lives in the tree: Lib/ on Windows, lib/python3.N/ elsewhere; null when absent. */
function stdlibDir(dir: string, platform: NodeJS.Platform): string | null {
  if (platform === 'win32') return existsSync(join(dir, 'Lib', 'os.py')) ? join(dir, 'Lib') : null;
  const lib = join(dir, 'lib');
  if (!existsSync(lib)) return null;
  const versioned = readdirSync(lib).find((name) => /^python3\.\d+$/.test(name) && existsSync(join(lib, name, 'os.py')));
  return versioned ? join(lib, versioned) : null;
}

export interface LayoutReport {
  /** The install_only root that was checked (after resolveInstallDir). */
  dir: string;
  problems: string[];
  /** "3.12.7" when the interpreter ran. */
  version?: string;
}

/**
 * Checks the install_only layout: the executable and the standard library are where the app looks for them, and (on
 * the platform the tree is for) the executable runs, is 3.9+ and is self-contained: its sys.base_prefix is the tree
 * itself, so a venv or a wrapper script around a system Python is refused (it would break on the user's machine).
 */
export function checkInstallOnlyLayout(given: string, platform: NodeJS.Platform = process.platform): LayoutReport {
  const dir = resolveInstallDir(resolve(given), platform);
  const problems: string[] = [];
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { dir, problems: [`${dir} is not a directory`] };
  const exe = join(dir, relativeExecutable(platform));
  if (!existsSync(exe)) problems.push(`no ${relativeExecutable(platform)} in ${dir} (expected python-build-standalone's install_only layout)`);
  if (!stdlibDir(dir, platform)) {
    problems.push(`no standard library in ${dir} (${platform === 'win32' ? 'Lib/os.py' : 'lib/python3.N/os.py'})`);
  }
  if (problems.length > 0 || platform !== process.platform) return { dir, problems };
  // -B: checking must not write bytecode caches into the tree it was given.
  const probe = spawnSync(exe, ['-I', '-B', '-c', 'import sys, json; print(json.dumps([list(sys.version_info[:3]), sys.base_prefix]))'], {
    encoding: 'utf8',
    timeout: PROBE_TIMEOUT_MS,
  });
  if (probe.status !== 0) {
    problems.push(`${exe} -c 'import sys' failed: ${(probe.error?.message ?? probe.stderr.trim()) || `exit ${probe.status}`}`);
    return { dir, problems };
  }
  const [versionInfo, basePrefix] = JSON.parse(probe.stdout) as [[number, number, number], string];
  const version = versionInfo.join('.');
  const [major, minor] = versionInfo;
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    problems.push(`${exe} is Python ${version}; the worker needs ${MIN_PYTHON.join('.')} or newer`);
  }
  if (realpathSync(basePrefix) !== realpathSync(dir)) {
    problems.push(`${exe} is not self-contained: its sys.base_prefix is ${basePrefix}, not ${dir} (a venv or a wrapper? use an install_only tree)`);
  }
  return { dir, problems, version };
}

/**
 * Copies the tree to `dest` (symlinks kept as they are: bin/python3 → python3.N) and precompiles it with
 * unchecked-hash .pyc files: packaging does not keep source mtimes, and timestamp-checked caches would look stale,
 * so Python would recompile on every start and fail to write the caches into a read-only install.
 */
export function prepareBundledPython(source: string, dest = join(ROOT, STAGED_PYTHON_DIR), platform: NodeJS.Platform = process.platform): LayoutReport {
  const report = checkInstallOnlyLayout(source, platform);
  if (report.problems.length > 0) return report;
  if (platform !== process.platform) {
    return { ...report, problems: [`a ${platform} Python cannot be precompiled on ${process.platform}: build the package on ${platform}`] };
  }
  rmSync(dest, { recursive: true, force: true });
  cpSync(report.dir, dest, { recursive: true, verbatimSymlinks: true });
  const exe = join(dest, relativeExecutable(platform));
  const lib = stdlibDir(dest, platform) as string; // checked above, on the source
  const compiled = spawnSync(exe, ['-I', '-m', 'compileall', '-q', '-f', '-j', '0', '--invalidation-mode', 'unchecked-hash', '-x', COMPILE_EXCLUDE, lib], {
    encoding: 'utf8',
    timeout: COMPILE_TIMEOUT_MS,
  });
  if (compiled.status !== 0) {
    const output = `${compiled.stdout}${compiled.stderr}`.trim().split('\n').slice(-20).join('\n');
    return { ...report, problems: [`compileall failed in ${lib} (${compiled.error?.message ?? `exit ${compiled.status}`}):\n${output}`] };
  }
  return { ...report, dir: dest };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const args = process.argv.slice(2);
  const checkOnly = args.includes('--check');
  const source = args.find((a) => !a.startsWith('--')) ?? process.env.PYREPL_BUNDLE_PYTHON;
  if (!source) {
    console.error('usage: bundle-python.ts [--check] <install_only dir>   (or set PYREPL_BUNDLE_PYTHON)');
    process.exit(2);
  }
  const report = checkOnly ? checkInstallOnlyLayout(source) : prepareBundledPython(source);
  if (report.problems.length > 0) {
    console.error(`bundle-python: ${source}:\n  ${report.problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`bundle-python: Python ${report.version ?? '?'} ${checkOnly ? 'has the install_only layout' : `prepared in ${report.dir}`}`);
}
