/**
 * Every server setting in one table: its command-line flag, environment variable, type, default and meaning. The CLI,
 * the environment reader, `pyrepl serve --help` and docs/configuration.md all come from OPTIONS (a test checks the doc).
 */
import { randomBytes } from 'node:crypto';
import { PyreplError } from '../protocol/errors.js';

type Kind = 'string' | 'int' | 'number' | 'boolean' | 'list';

interface OptionSpec<K extends Kind = Kind> {
  flag: string;
  env: string;
  kind: K;
  default: K extends 'string' ? string | null : K extends 'list' ? string[] : K extends 'boolean' ? boolean : number | null;
  help: string;
}

export const OPTIONS = {
  host: { flag: 'host', env: 'PYREPL_HOST', kind: 'string', default: '127.0.0.1', help: 'Address to listen on. Anything but loopback needs --allow-remote.' },
  port: { flag: 'port', env: 'PYREPL_PORT', kind: 'int', default: 8080, help: 'Port to listen on; 0 picks a free one.' },
  token: { flag: 'token', env: 'PYREPL_TOKEN', kind: 'string', default: null, help: 'The API token. Default: a fresh random one, written to the runtime file.' },
  allowRemote: { flag: 'allow-remote', env: 'PYREPL_ALLOW_REMOTE', kind: 'boolean', default: false, help: 'Allow --host other than loopback (anyone who can reach it and has the token can run code).' },
  allowOrigins: { flag: 'allow-origin', env: 'PYREPL_ALLOW_ORIGINS', kind: 'list', default: [], help: 'Extra browser origins allowed to call the API (comma-separated in the environment).' },
  allowHosts: { flag: 'allow-host', env: 'PYREPL_ALLOW_HOSTS', kind: 'list', default: [], help: 'Extra Host header names accepted besides loopback ones.' },
  minIdle: { flag: 'min-idle', env: 'PYREPL_MIN_IDLE', kind: 'int', default: 1, help: 'Warm sessions kept ready.' },
  maxSessions: { flag: 'max-sessions', env: 'PYREPL_MAX_SESSIONS', kind: 'int', default: 10, help: 'Sessions (Python processes) at most.' },
  idleTimeout: { flag: 'idle-timeout', env: 'PYREPL_IDLE_TIMEOUT', kind: 'number', default: 600, help: 'Seconds a session with no client and no activity lives; 0 keeps sessions forever.' },
  acquireTimeout: { flag: 'acquire-timeout', env: 'PYREPL_ACQUIRE_TIMEOUT', kind: 'number', default: 5, help: 'Seconds to wait for a free session before 503 pool_exhausted.' },
  python: { flag: 'python', env: 'PYREPL_PYTHON', kind: 'string', default: null, help: 'The Python interpreter (default: python3 on PATH).' },
  memoryLimitMb: { flag: 'memory-limit-mb', env: 'PYREPL_MEMORY_LIMIT_MB', kind: 'int', default: null, help: 'Address-space limit of each worker in MiB (RLIMIT_AS); none by default.' },
  outputLimitBytes: { flag: 'output-limit-bytes', env: 'PYREPL_OUTPUT_LIMIT_BYTES', kind: 'int', default: 64 * 1024 * 1024, help: 'Output allowed per execution.' },
  executionTimeout: { flag: 'execution-timeout', env: 'PYREPL_EXECUTION_TIMEOUT', kind: 'number', default: null, help: 'Default wall-clock limit per execution in seconds; none by default.' },
  maxQueued: { flag: 'max-queued', env: 'PYREPL_MAX_QUEUED', kind: 'int', default: 100, help: 'Executions queued per session before 429 queue_full.' },
  maxBodyBytes: { flag: 'max-body-bytes', env: 'PYREPL_MAX_BODY_BYTES', kind: 'int', default: 1024 * 1024, help: 'Largest request body and WebSocket message (413 / close 1009 above).' },
  replayBufferBytes: { flag: 'replay-buffer-bytes', env: 'PYREPL_REPLAY_BUFFER_BYTES', kind: 'int', default: 8 * 1024 * 1024, help: 'Per-session event buffer for reconnect replay and late observers.' },
  jobTtl: { flag: 'job-ttl', env: 'PYREPL_JOB_TTL', kind: 'number', default: 600, help: 'Seconds a finished async job is kept.' },
  maxJobs: { flag: 'max-jobs', env: 'PYREPL_MAX_JOBS', kind: 'int', default: 1000, help: 'Finished async jobs kept at most.' },
  stateDir: { flag: 'state-dir', env: 'PYREPL_STATE_DIR', kind: 'string', default: null, help: 'Where the runtime file goes (default: $XDG_RUNTIME_DIR/pyrepl3, else ~/.local/share/pyrepl3/runtime).' },
  logLevel: { flag: 'log-level', env: 'PYREPL_LOG_LEVEL', kind: 'string', default: 'info', help: 'pino log level: fatal, error, warn, info, debug, trace, silent.' },
} as const satisfies Record<string, OptionSpec>;

export type OptionKey = keyof typeof OPTIONS;

export interface ServerConfig {
  host: string;
  port: number;
  token: string;
  tokenGenerated: boolean;
  allowRemote: boolean;
  allowOrigins: string[];
  allowHosts: string[];
  minIdle: number;
  maxSessions: number;
  idleTimeout: number;
  acquireTimeout: number;
  python: string | null;
  memoryLimitMb: number | null;
  outputLimitBytes: number | null;
  executionTimeout: number | null;
  maxQueued: number;
  maxBodyBytes: number;
  replayBufferBytes: number;
  jobTtl: number;
  maxJobs: number;
  stateDir: string | null;
  logLevel: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Options for node:util parseArgs, from the table. */
export function parseArgsOptions(): Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> {
  const out: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const spec of Object.values(OPTIONS)) {
    out[spec.flag] = spec.kind === 'boolean' ? { type: 'boolean' } : spec.kind === 'list' ? { type: 'string', multiple: true } : { type: 'string' };
  }
  return out;
}

/**
 * Builds the config: command-line values win over the environment, which wins over defaults. Throws invalid_argument
 * naming the flag or variable on a bad value.
 */
export function resolveConfig(
  flags: Record<string, string | boolean | string[] | undefined>,
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<ServerConfig> = {},
): ServerConfig {
  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(OPTIONS) as [OptionKey, OptionSpec][]) {
    const fromFlag = flags[spec.flag];
    const fromEnv = env[spec.env];
    const source = fromFlag !== undefined ? `--${spec.flag}` : spec.env;
    const raw = fromFlag !== undefined ? fromFlag : fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
    values[key] = raw === undefined ? spec.default : convert(spec, raw, source);
  }
  const tokenGenerated = values.token === null && overrides.token === undefined;
  const config = {
    ...(values as Omit<ServerConfig, 'token' | 'tokenGenerated'>),
    token: (values.token as string | null) ?? randomBytes(32).toString('hex'),
    tokenGenerated,
    ...overrides,
  } as ServerConfig;
  validate(config);
  return config;
}

function convert(spec: OptionSpec, raw: string | boolean | string[], source: string): unknown {
  const bad = (why: string) => new PyreplError('invalid_argument', `${source}: ${why} (got ${JSON.stringify(raw)})`);
  switch (spec.kind) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (/^(1|true|yes|on)$/i.test(String(raw))) return true;
      if (/^(0|false|no|off)$/i.test(String(raw))) return false;
      throw bad('expected true or false');
    case 'list':
      return (Array.isArray(raw) ? raw : String(raw).split(',')).map((s) => s.trim()).filter(Boolean);
    case 'int': {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0) throw bad('expected a whole number >= 0');
      return n;
    }
    case 'number': {
      const n = Number(raw);
      if (!Number.isFinite(n) || n < 0) throw bad('expected a number >= 0');
      return n;
    }
    case 'string':
      return String(raw);
  }
}

function validate(config: ServerConfig): void {
  if (!isLoopbackHost(config.host) && !config.allowRemote) {
    throw new PyreplError(
      'invalid_argument',
      `--host ${config.host} is not a loopback address: anyone who can reach it could run code with the token. Add --allow-remote to mean it.`,
    );
  }
  if (config.port > 65535) throw new PyreplError('invalid_argument', `--port ${config.port} is not a valid port.`);
  if (config.minIdle > config.maxSessions) {
    throw new PyreplError('invalid_argument', `--min-idle (${config.minIdle}) cannot exceed --max-sessions (${config.maxSessions}).`);
  }
  if (config.maxSessions < 1) throw new PyreplError('invalid_argument', '--max-sessions must be at least 1.');
  if (config.token.length < 8) throw new PyreplError('invalid_argument', 'The token must be at least 8 characters.');
}
