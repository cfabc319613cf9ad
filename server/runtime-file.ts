/**
 * The runtime file: where a running server says how to reach it (url, port, pid, token), readable only by the user,
 * as Jupyter's runtime files are. Local scripts find the server with `npx pyrepl info`. Removed on exit.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface RuntimeInfo {
  url: string;
  host: string;
  port: number;
  pid: number;
  token: string;
  started_at: string;
  version: string;
}

export function runtimeDir(stateDir: string | null, env: NodeJS.ProcessEnv = process.env): string {
  if (stateDir) return stateDir;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'pyrepl3');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'pyrepl3', 'runtime');
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'pyrepl3', 'runtime');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'pyrepl3', 'runtime');
}

export function writeRuntimeFile(dir: string, info: RuntimeInfo): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `server-${info.pid}.json`);
  writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  return file;
}

export function removeRuntimeFile(file: string): void {
  rmSync(file, { force: true });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Running servers, newest first; files of processes that are gone are removed on the way. */
export function listRuntimeFiles(dir: string): { file: string; info: RuntimeInfo }[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^server-\d+\.json$/.test(n));
  } catch {
    return [];
  }
  const found: { file: string; info: RuntimeInfo }[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      const info = JSON.parse(readFileSync(file, 'utf8')) as RuntimeInfo;
      if (pidAlive(info.pid)) found.push({ file, info });
      else rmSync(file, { force: true });
    } catch {
      /* unreadable or half-written: skip */
    }
  }
  return found.sort((a, b) => b.info.started_at.localeCompare(a.info.started_at));
}
