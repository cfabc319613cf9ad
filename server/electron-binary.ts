/**
 * Whether this machine can open the desktop app: finds the Electron executable the way the `electron` package's own
 * index.js does (path.txt names the executable inside node_modules/electron/dist, or ELECTRON_OVERRIDE_DIST_PATH
 * holds one), but only *looks*: requiring 'electron' from Node would try to download the binary, and server/ never
 * imports it. `pyrepl start` uses this to open the app, or to say why it runs the server instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ElectronLookup =
  | { found: true; binary: string; source: 'ELECTRON_OVERRIDE_DIST_PATH' | 'node_modules/electron' }
  | { found: false; reason: string };

export interface LookupFs {
  exists(path: string): boolean;
  read(path: string): string;
}

const realFs: LookupFs = { exists: existsSync, read: (path) => readFileSync(path, 'utf8') };

/** The executable's path inside a dist folder when path.txt does not say (what electron's install.js writes there). */
export function defaultExecutable(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

export function findElectronBinary(
  packageRoot: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  fs: LookupFs = realFs,
): ElectronLookup {
  const packageDir = join(packageRoot, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  const named = fs.exists(pathFile) ? fs.read(pathFile).trim() : '';
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const binary = join(override, named || defaultExecutable(platform));
    if (fs.exists(binary)) return { found: true, binary, source: 'ELECTRON_OVERRIDE_DIST_PATH' };
    return { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set, but ${binary} does not exist` };
  }
  if (!fs.exists(packageDir)) return { found: false, reason: 'the electron package is not installed (npm install)' };
  if (!named) {
    return {
      found: false,
      reason: 'no Electron binary in node_modules/electron/dist (no path.txt: the electron npm package comes without the binary; `npx install-electron` downloads it from GitHub)',
    };
  }
  const binary = join(packageDir, 'dist', named);
  if (fs.exists(binary)) return { found: true, binary, source: 'node_modules/electron' };
  return { found: false, reason: `node_modules/electron/path.txt names ${named}, which is not in node_modules/electron/dist (run \`npx install-electron\`)` };
}

/** What `pyrepl start` does: open the app with this binary, or run the server headless and say why. */
export type StartPlan = { kind: 'app'; binary: string } | { kind: 'serve'; why: string };

export function planStart(lookup: ElectronLookup, shellBuilt: boolean): StartPlan {
  if (!lookup.found) return { kind: 'serve', why: `Electron is not available here: ${lookup.reason}.` };
  if (!shellBuilt) return { kind: 'serve', why: 'The desktop shell is not built (dist/electron/main.js): run `npm run build`.' };
  return { kind: 'app', binary: lookup.binary };
}
