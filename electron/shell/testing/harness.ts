/** A ShellApp over the fake host with a fake server and REST API, for the shell's tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionsApi } from '../menu-actions.js';
import type { SessionEntry } from '../menu-template.js';
import type { ProbeResult } from '../python-choice.js';
import type { LaunchedServer } from '../server-launch.js';
import { ShellApp, type ShellDeps } from '../shell-app.js';
import { FakeHost } from './fake-host.js';

export const FAKE_URL = 'http://127.0.0.1:5555';
export const FAKE_TOKEN = 'f'.repeat(64);

export interface Harness {
  app: ShellApp;
  host: FakeHost;
  calls: string[];
  logs: string[];
  launched: { python: string; runtimeDir: string | undefined }[];
  sessions: SessionEntry[];
  stops: number;
}

export function harness(overrides: Partial<ShellDeps> & { userDataDir?: string; setup?: (host: FakeHost) => void } = {}): Harness {
  const host = new FakeHost(overrides.userDataDir ?? mkdtempSync(join(tmpdir(), 'pyrepl-shell-')));
  overrides.setup?.(host);
  const h: Harness = { app: undefined as unknown as ShellApp, host, calls: [], logs: [], launched: [], sessions: [], stops: 0 };
  const server: LaunchedServer = {
    url: FAKE_URL,
    token: FAKE_TOKEN,
    runtimeFile: '/run/user/1000/pyrepl3/server-1.json',
    stop: async () => void h.stops++,
  };
  const api: SessionsApi = {
    listSessions: async () => h.sessions,
    interrupt: async (id) => void h.calls.push(`interrupt ${id}`),
    restart: async (id) => void h.calls.push(`restart ${id}`),
    closeSession: async (id) => void h.calls.push(`close ${id}`),
  };
  h.app = new ShellApp({
    host,
    env: {},
    preload: '/app/dist/electron/preload.cjs',
    probe: async (): Promise<ProbeResult> => ({ ok: true, version: '3.12.1', executable: '/usr/bin/python3' }),
    exists: () => false,
    launch: async (python, runtimeDir) => (h.launched.push({ python, runtimeDir }), server),
    api: () => api,
    log: { info: (m) => h.logs.push(`info ${m}`), warn: (m) => h.logs.push(`warn ${m}`), error: (m) => h.logs.push(`error ${m}`) },
    logFile: '/home/u/.config/PyREPL3/logs/main.log',
    sessionsPollMs: 60_000,
    ...overrides,
  });
  return h;
}

/** Lets queued promise callbacks (dialogs, REST calls) run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
