/**
 * Starting the API server inside the app: the same startServer as `pyrepl serve`, always on 127.0.0.1 with a free
 * port and a fresh token (so nothing from an earlier run or the environment can be reused to reach it), plus the
 * runtime file so `npx pyrepl info` and local scripts find it. Stopping removes the file and closes the server
 * (sessions, then the pool: close → SIGTERM → SIGKILL).
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { RunningServer, StartOptions } from '../../server/app.js';
import { resolveConfig, type ServerConfig } from '../../server/config.js';
import { removeRuntimeFile, runtimeDir, writeRuntimeFile } from '../../server/runtime-file.js';

/** Loopback only: the app's server is for this machine; --allow-remote is a `pyrepl serve` decision, never the app's. */
export const APP_HOST = '127.0.0.1';
/** 0: the OS picks a free port, so two users (or a `pyrepl serve`) never collide. */
export const APP_PORT = 0;
/** 32 random bytes, hex: the same strength as the server's own generated token. */
export const TOKEN_BYTES = 32;

export interface LaunchedServer {
  url: string;
  token: string;
  /** Where the runtime file is (shown by Copy Connection Info); null if it could not be written. */
  runtimeFile: string | null;
  /** Removes the runtime file, then closes the server. Idempotent. */
  stop(): Promise<void>;
}

export interface LaunchOptions {
  python: string;
  /** The worker sources (packaged apps: resources/python-runtime). */
  runtimeDir?: string | undefined;
  env: NodeJS.ProcessEnv;
  version: string;
  logger?: Logger;
  start: (config: ServerConfig, options: StartOptions) => Promise<RunningServer>;
  pid?: number;
}

/** The app's config: the environment's settings (pool size, limits…), with host, port and token decided here. */
export function appServerConfig(python: string, env: NodeJS.ProcessEnv): ServerConfig {
  return resolveConfig({}, env, {
    host: APP_HOST,
    port: APP_PORT,
    allowRemote: false,
    token: randomBytes(TOKEN_BYTES).toString('hex'),
    tokenGenerated: true,
    python,
  });
}

export async function launchServer(options: LaunchOptions): Promise<LaunchedServer> {
  const config = appServerConfig(options.python, options.env);
  const server = await options.start(config, {
    version: options.version,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.runtimeDir ? { runtimeDir: options.runtimeDir } : {}),
  });
  let runtimeFile: string | null = null;
  try {
    runtimeFile = writeRuntimeFile(runtimeDir(config.stateDir, options.env), {
      url: server.url,
      host: server.host,
      port: server.port,
      pid: options.pid ?? process.pid,
      token: server.token,
      started_at: new Date().toISOString(),
      version: options.version,
    });
  } catch (err) {
    // The app works without it; only `pyrepl info` will not find this server.
    options.logger?.warn({ err: (err as Error).message }, 'could not write the runtime file');
  }
  let stopping: Promise<void> | null = null;
  return {
    url: server.url,
    token: server.token,
    runtimeFile,
    stop: () =>
      (stopping ??= (async () => {
        if (runtimeFile) removeRuntimeFile(runtimeFile);
        await server.close();
      })()),
  };
}

/** The text of Copy Connection Info: what a local script needs, and what handing it out means. */
export function connectionInfoText(server: { url: string; token: string; runtimeFile: string | null }): string {
  return [
    `PyREPL3 API: ${server.url}`,
    `Token: ${server.token}`,
    ...(server.runtimeFile ? [`Runtime file: ${server.runtimeFile} (what \`npx pyrepl info\` reads)`] : []),
    '',
    `Try: curl -H "Authorization: Bearer ${server.token}" ${server.url}/sessions`,
    `Docs: ${server.url}/docs`,
    '',
    'Note: this token grants full control of this app\'s Python sessions: whoever has it can run any code as you and',
    'read every session\'s output. Give it only to programs you trust on this machine. It is valid until the app quits',
    '(each launch makes a new one), and the server only listens on 127.0.0.1.',
  ].join('\n');
}
