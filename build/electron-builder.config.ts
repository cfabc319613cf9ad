/**
 * electron-builder configuration for the desktop app: Linux AppImage + deb, macOS dmg, Windows nsis.
 *
 * `npm run dist` (build/dist.ts) passes makeBuilderConfig(...) to electron-builder's API; the default export is the
 * same config for running electron-builder by hand (`npx electron-builder --config build/electron-builder.config.ts`).
 * Self-contained on purpose (only node: imports): electron-builder loads a .ts config through its own loader, and
 * build/'s other modules import the constants from here, so the layout is written down once.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Configuration, FileSet } from 'electron-builder';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Packages land here, not in dist/ (electron-builder's default), which is tsc's output and part of the app. */
export const OUTPUT_DIR = 'release';

/** Where build/bundle-python.ts puts the prepared (copied, precompiled) interpreter that becomes resources/python. */
export const STAGED_PYTHON_DIR = join(OUTPUT_DIR, 'staging', 'python');

/**
 * Resource folder names; they must equal electron/shell/resource-layout.ts's RUNTIME_RESOURCE_DIR and
 * PYTHON_RESOURCE_DIR (pack:check compares them with the built module).
 */
export const RUNTIME_RESOURCE = 'python-runtime';
export const PYTHON_RESOURCE = 'python';

/** The worker package, copied outside app.asar: Python cannot import from inside an asar archive. */
export const WORKER_SOURCE = join('python-runtime', 'pyrepl_worker');

/**
 * What goes into app.asar (relative to the project root). node_modules is not listed: electron-builder adds the
 * production dependencies ("dependencies" in package.json) by itself and leaves devDependencies out.
 */
export const APP_FILES = [
  'package.json',
  'dist/**/*',
  // tsc's per-file renderer output; the page is the esbuild bundle in dist/renderer
  '!dist/renderer-tsc{,/**/*}',
  '!dist/**/*.{map,d.ts,tsbuildinfo}',
  '!dist/**/*.test.js',
  '!dist/**/testing{,/**/*}',
  // npm run bench builds itself there
  '!dist/bench{,/**/*}',
  // served by the server next to the page (docs, ws-test page)
  'server/static/**/*',
];

/** Python's bytecode caches are machine-made and rebuilt on import; the bundled interpreter brings its own. */
const WORKER_FILTER = ['**/*', '!**/__pycache__{,/**/*}', '!**/*.{pyc,pyo}'];

/** electron-builder's default deb dependencies (app-builder-lib FpmTarget) for Electron itself. */
const ELECTRON_DEB_DEPENDS = ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0'];

export interface BuilderOptions {
  /** A prepared install_only tree (build/bundle-python.ts) to ship as resources/python; null: use the system Python. */
  bundledPythonDir?: string | null;
  /** A local Electron (unpacked dist folder or zip) so electron-builder does not download one. */
  electronDist?: string | null;
  /**
   * Flip Electron's fuses (off: run-as-node, NODE_OPTIONS, --inspect; on: load the app only from app.asar).
   * Off only for packaging a stand-in Electron in tests, whose binary has no fuse wire to flip.
   */
  fuses?: boolean;
}

export function extraResources(bundledPythonDir: string | null): FileSet[] {
  const out: FileSet[] = [{ from: WORKER_SOURCE, to: join(RUNTIME_RESOURCE, 'pyrepl_worker'), filter: WORKER_FILTER }];
  // Everything, .pyc included: the bundled interpreter is precompiled so its first start does not write caches
  // into a read-only install (AppImage, Program Files).
  if (bundledPythonDir) out.push({ from: bundledPythonDir, to: PYTHON_RESOURCE, filter: ['**/*'] });
  return out;
}

export function makeBuilderConfig(options: BuilderOptions = {}): Configuration {
  return {
    appId: 'io.github.pyrepl3.desktop',
    productName: 'PyREPL3',
    copyright: 'PyREPL3 contributors, MIT licence',
    directories: { output: OUTPUT_DIR, buildResources: 'build/resources' },
    files: APP_FILES,
    asar: true,
    extraResources: extraResources(options.bundledPythonDir ?? null),
    // No native modules among the dependencies; a rebuild would only fetch Electron's headers over the network.
    npmRebuild: false,
    nodeGypRebuild: false,
    linux: {
      target: ['AppImage', 'deb'],
      category: 'Development',
      executableName: 'pyrepl3',
      synopsis: 'A Python REPL that is also a local API server',
      maintainer: 'PyREPL3 contributors <pyrepl3@users.noreply.github.com>',
    },
    // Without a bundled interpreter the deb needs the system's python3. Setting `depends` replaces electron-builder's
    // own list, so that list is repeated here.
    ...(options.bundledPythonDir ? {} : { deb: { depends: [...ELECTRON_DEB_DEPENDS, 'python3'] } }),
    mac: { target: ['dmg'], category: 'public.app-category.developer-tools' },
    win: { target: ['nsis'] },
    nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
    artifactName: '${productName}-${version}-${os}-${arch}.${ext}',
    ...(options.electronDist ? { electronDist: options.electronDist } : {}),
    ...(options.fuses === false
      ? {}
      : {
          electronFuses: {
            runAsNode: false,
            enableNodeOptionsEnvironmentVariable: false,
            enableNodeCliInspectArguments: false,
            onlyLoadAppFromAsar: true,
            grantFileProtocolExtraPrivileges: false,
          },
        }),
  };
}

export default makeBuilderConfig({ bundledPythonDir: process.env.PYREPL_BUNDLE_PYTHON ? join(ROOT, STAGED_PYTHON_DIR) : null });
