/**
 * `npm run dist`: the installers for this OS (Linux AppImage + deb, macOS dmg, Windows nsis) in release/.
 * `npm run dist -- --dir`: only the unpacked app (release/<os>-unpacked), which needs no installer tools.
 *
 * electron-builder downloads Electron's zip and its installer tools (fpm, appimagetool, nsis…) from GitHub. Where that
 * cannot work it would fail late or wait on the network, so this looks first (a local Electron; the download host
 * answering within seconds) and stops with what to do instead. PYREPL_BUNDLE_PYTHON=path ships that
 * python-build-standalone install_only tree as resources/python (build/bundle-python.ts prepares it).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { prepareBundledPython } from './bundle-python.js';
import { makeBuilderConfig, OUTPUT_DIR, ROOT } from './electron-builder.config.js';
import { downloadHosts, electronVersion, findLocalElectron, missingElectronReason, PROBE_TIMEOUT_MS, reachable, type LocalElectron } from './electron-source.js';
import { checkEntryPoints } from './pack-check.js';

export interface DistPlan {
  ok: boolean;
  /** Why not, and what to do (several lines), when !ok. */
  message?: string;
  local: LocalElectron | null;
}

/**
 * Decides ahead whether electron-builder can work here. `online` is whether every download host answered;
 * PYREPL_DIST_OFFLINE=1 says the caches (ELECTRON_CACHE, ELECTRON_BUILDER_CACHE) already hold what it needs.
 */
export interface PlanInput {
  dirOnly: boolean;
  local: LocalElectron | null;
  /** Why there is no local Electron (missingElectronReason), for the message. */
  missingLocal: string;
  online: boolean;
  hosts: string[];
  version: string;
  env?: NodeJS.ProcessEnv;
}

export function planDist(opts: PlanInput): DistPlan {
  const env = opts.env ?? process.env;
  if (opts.online || env.PYREPL_DIST_OFFLINE === '1') return { ok: true, local: opts.local };
  const unreachable = `${opts.hosts.join(' and ')} did not answer within ${PROBE_TIMEOUT_MS / 1000} s`;
  const zip = `electron-v${opts.version}-${process.platform}-${process.arch}.zip`;
  if (opts.dirOnly && opts.local) return { ok: true, local: opts.local };
  const lines = [`npm run dist: cannot package here: ${unreachable}, and electron-builder downloads from there:`];
  if (!opts.local) lines.push(`  • Electron ${opts.version} itself (${zip}), as there is no local one: ${opts.missingLocal}, and no zip in the Electron cache;`);
  if (!opts.dirOnly) lines.push('  • the installer tools (appimagetool and fpm on Linux, dmg tools on macOS, NSIS on Windows).');
  lines.push('', 'What to do:');
  lines.push('  • run `npm run dist` on a machine that can reach GitHub (or set ELECTRON_MIRROR / ELECTRON_BUILDER_BINARIES_MIRROR to a mirror);');
  if (!opts.local) {
    lines.push(`  • or give a local Electron: PYREPL_ELECTRON_DIST=/path/to/unpacked-electron-or-${zip},`);
    lines.push(`    or put ${zip} in ELECTRON_CACHE, or run \`npx install-electron\` where it can download;`);
  }
  if (!opts.dirOnly) lines.push(`  • ${opts.local ? '' : 'with a local Electron, '}\`npm run dist -- --dir\` builds the unpacked app (${OUTPUT_DIR}/<os>-unpacked) without installer tools;`);
  lines.push('  • PYREPL_DIST_OFFLINE=1 skips this check when ELECTRON_CACHE and ELECTRON_BUILDER_CACHE already hold everything;');
  lines.push('  • `npm run pack:check` verifies the config and the resource layout without any of this.');
  return { ok: false, message: lines.join('\n'), local: opts.local };
}

async function main(): Promise<number> {
  const dirOnly = process.argv.includes('--dir');
  const hosts = downloadHosts();
  const local = findLocalElectron(ROOT);
  const online = (await Promise.all(hosts.map((h) => reachable(h)))).every(Boolean);
  const plan = planDist({ dirOnly, local, missingLocal: missingElectronReason(ROOT), online, hosts, version: electronVersion(ROOT) });
  if (!plan.ok) {
    console.error(plan.message);
    return 1;
  }
  console.log(`dist: Electron ${local ? `from ${local.how} (${local.dist})` : 'downloaded by electron-builder'}`);

  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  if (built.status !== 0) return built.status ?? 1;
  const entries = checkEntryPoints(ROOT);
  if (entries.problems.length > 0) {
    console.error(`dist: ${entries.problems.join('\n      ')}`);
    return 1;
  }

  let bundledPythonDir: string | null = null;
  if (process.env.PYREPL_BUNDLE_PYTHON) {
    const report = prepareBundledPython(process.env.PYREPL_BUNDLE_PYTHON);
    if (report.problems.length > 0) {
      console.error(`dist: PYREPL_BUNDLE_PYTHON=${process.env.PYREPL_BUNDLE_PYTHON}:\n  ${report.problems.join('\n  ')}`);
      return 1;
    }
    bundledPythonDir = report.dir;
    console.log(`dist: bundling Python ${report.version} from ${process.env.PYREPL_BUNDLE_PYTHON} (prepared in ${report.dir})`);
  } else {
    console.log('dist: no PYREPL_BUNDLE_PYTHON: the package will use the system Python (python3 on PATH, or PYREPL_PYTHON)');
  }

  const { build, Platform } = await import('electron-builder');
  const config = makeBuilderConfig({ bundledPythonDir, electronDist: plan.local?.dist ?? null });
  const artifacts = await build({ projectDir: ROOT, targets: Platform.current().createTarget(dirOnly ? 'dir' : undefined), config, publish: 'never' });
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  console.log(`dist: PyREPL3 ${version} in ${OUTPUT_DIR}/${artifacts.length > 0 ? `:\n  ${artifacts.join('\n  ')}` : ''}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const code = await main().catch((error: unknown) => {
    console.error(`dist: electron-builder failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  });
  // Exit explicitly: signal-exit 3 (which electron-builder loads through proper-lockfile) replaces process.reallyExit
  // and ends the process with status 0 when it drains, whatever process.exitCode says: that would report a failed
  // build as a success.
  process.exit(code);
}
