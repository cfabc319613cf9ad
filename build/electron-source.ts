/**
 * Where electron-builder can get Electron from, found before it starts (it would otherwise try to download a zip and,
 * offline, fail late or wait on the network). Never imports the `electron` package: its index.js downloads the binary
 * when it is missing.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { findElectronBinary } from '../server/electron-binary.js';

/** How long the network probe may take; an answer (even an error status) comes back in well under this. */
export const PROBE_TIMEOUT_MS = 8_000;

/** Where electron-builder downloads Electron and its packaging tools from unless a mirror is set. */
export const DOWNLOAD_HOST = 'https://github.com';

export function electronVersion(root: string): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
}

/** The Electron binary npm installed, or null: the one rule `pyrepl start` uses too (server/electron-binary.ts). */
export function installedElectronBinary(root: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const lookup = findElectronBinary(root, env);
  return lookup.found ? lookup.binary : null;
}

/** Why installedElectronBinary is null, in words for a skipped test or a stopped build. */
export function missingElectronReason(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const lookup = findElectronBinary(root, env);
  return lookup.found ? `${lookup.binary} exists` : lookup.reason;
}

/** @electron/get's default download cache (electron-builder reads the same one). */
export function electronCacheRoots(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string[] {
  const roots = [env.ELECTRON_CACHE, env.electron_config_cache].filter((r): r is string => Boolean(r));
  if (platform === 'darwin') roots.push(join(homedir(), 'Library', 'Caches', 'electron'));
  else if (platform === 'win32') roots.push(join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'electron', 'Cache'));
  else roots.push(join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'electron'));
  return roots;
}

/** A previously downloaded Electron zip for this version and target, in a cache root or one folder below it. */
export function cachedElectronZip(version: string, platform: string, arch: string, roots: string[]): string | null {
  const name = `electron-v${version}-${platform}-${arch}.zip`;
  for (const root of roots) {
    if (existsSync(join(root, name))) return join(root, name);
    let entries: string[] = [];
    try {
      entries = readdirSync(root);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const candidate = join(root, entry, name);
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
  }
  return null;
}

export interface LocalElectron {
  /** What to give electron-builder as electronDist: an unpacked Electron folder or a zip. */
  dist: string;
  /** Where it came from, for the log. */
  how: string;
}

/**
 * A local Electron for the host platform, first found of: PYREPL_ELECTRON_DIST (a folder or zip you point at), the
 * binary npm installed (node_modules/electron/dist), a zip in the download cache. Null when none is there.
 */
export function findLocalElectron(root: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform, arch = process.arch): LocalElectron | null {
  if (env.PYREPL_ELECTRON_DIST) return { dist: env.PYREPL_ELECTRON_DIST, how: 'PYREPL_ELECTRON_DIST' };
  const binary = installedElectronBinary(root, env);
  if (binary) return { dist: env.ELECTRON_OVERRIDE_DIST_PATH ?? join(root, 'node_modules', 'electron', 'dist'), how: 'the binary npm installed' };
  let version: string;
  try {
    version = electronVersion(root);
  } catch {
    return null;
  }
  const zip = cachedElectronZip(version, platform, arch, electronCacheRoots(env, platform));
  return zip ? { dist: zip, how: 'the Electron download cache' } : null;
}

/** True when `url` answers at all (any HTTP status) within the timeout; false on DNS, connection or timeout errors. */
export async function reachable(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  try {
    await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

/** The hosts electron-builder would download from: Electron's zip (ELECTRON_MIRROR) and its packaging tools
 * (ELECTRON_BUILDER_BINARIES_MIRROR), GitHub for whichever has no mirror. */
export function downloadHosts(env: NodeJS.ProcessEnv = process.env): string[] {
  return [...new Set([env.ELECTRON_MIRROR || DOWNLOAD_HOST, env.ELECTRON_BUILDER_BINARIES_MIRROR || DOWNLOAD_HOST])];
}
