/**
 * The API server as a separate child process, the way the floor's WS relay is one: `node bin/pyrepl.mjs serve` on a
 * free port with a random token and a private state dir, its workers marked (WorkerTracker) so the bench can check that
 * every one of them is gone after SIGTERM. Also the small REST helper the measurements use (keep-alive, Bearer token).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log, sleep, withTimeout } from './log.js';
import type { PoolStats } from '../server/session/pool.js';
import type { WorkerTracker } from './workers.js';

export interface ServerProcessOptions {
  projectRoot: string;
  python: string;
  minIdle: number;
  maxSessions: number;
  /** Marks the server and, through its environment, every worker it spawns. */
  tracker: WorkerTracker;
  /** Run under `node --cpu-prof` with the profile written here (on a clean exit). */
  cpuProfDir: string | null;
  startTimeoutMs: number;
}

/** GET /health's pool numbers: the pool's own stats, as the server publishes them. */
export type HealthPool = PoolStats;

export interface RestAnswer {
  status: number;
  json: unknown;
}

export interface ServerStop {
  /** SIGTERM → exit (ms). */
  stop_ms: number;
  exit: string;
  /** SIGKILL was needed. */
  killed: boolean;
}

export class ServerProcess {
  readonly token = randomBytes(24).toString('hex');
  readonly stateDir = mkdtempSync(join(tmpdir(), 'pyrepl-bench-server-'));
  readonly args: string[];
  private readonly child: ChildProcess;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 16 });
  private exitInfo: string | null = null;
  private readonly exited: Promise<void>;
  private _url: string | null = null;
  private stderrTail = '';

  private constructor(private readonly opts: ServerProcessOptions) {
    this.args = [
      ...(opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : []),
      join(opts.projectRoot, 'bin', 'pyrepl.mjs'),
      'serve',
      '--port', '0',
      '--token', this.token,
      '--min-idle', String(opts.minIdle),
      '--max-sessions', String(opts.maxSessions),
      '--log-level', 'silent',
    ];
    // No PYREPL_* of ours leaks into the server's config; only what the bench sets.
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(opts.tracker.env())) if (!k.startsWith('PYREPL_') || k === opts.tracker.markerName) env[k] = v;
    env.PYREPL_PYTHON = opts.python;
    env.PYREPL_STATE_DIR = this.stateDir;
    this.child = spawn(process.execPath, this.args, { cwd: opts.projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitInfo = signal ? `signal ${signal}` : `code ${code}`;
        resolve();
      });
    });
    this.child.stderr?.on('data', (c: Buffer) => {
      const text = c.toString('utf8');
      this.stderrTail = (this.stderrTail + text).slice(-2000);
      for (const line of text.split('\n')) if (line.trim()) process.stderr.write(`  [server] ${line}\n`);
    });
  }

  /** Spawns the server and waits for "PyREPL3 API server: http://127.0.0.1:PORT" on its stdout. */
  static async start(opts: ServerProcessOptions): Promise<ServerProcess> {
    const server = new ServerProcess(opts);
    opts.tracker.note(server.pid);
    try {
      server._url = await withTimeout(server.readUrl(), opts.startTimeoutMs, 'the API server printing its URL');
    } catch (err) {
      await server.stop(5_000);
      throw err;
    }
    return server;
  }

  get pid(): number {
    const pid = this.child.pid;
    if (!pid) throw new Error('the server process has no pid');
    return pid;
  }

  get url(): string {
    if (!this._url) throw new Error('the server has not started');
    return this._url;
  }

  /** ws://…/ws with a query string. */
  wsUrl(query: Record<string, string | number> = {}): string {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
    return `${this.url.replace(/^http/, 'ws')}/ws${qs ? `?${qs}` : ''}`;
  }

  get alive(): boolean {
    return this.exitInfo === null;
  }

  /** One REST call over a keep-alive connection: JSON in and out, Bearer token. */
  rest(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<RestAnswer> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const url = new URL(path, this.url);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown = null;
            try {
              json = text ? JSON.parse(text) : null;
            } catch {
              json = text;
            }
            resolve({ status: res.statusCode ?? 0, json });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  async health(): Promise<HealthPool> {
    const r = await this.rest('GET', '/health');
    if (r.status !== 200) throw new Error(`GET /health: ${r.status} ${JSON.stringify(r.json)}`);
    return (r.json as { pool: HealthPool }).pool;
  }

  /** Polls /health until `check(pool)` holds; returns the wait (ms). */
  async waitForPool(check: (pool: HealthPool) => boolean, timeoutMs: number, what: string): Promise<number> {
    const t0 = performance.now();
    let last: HealthPool | null = null;
    while (performance.now() - t0 < timeoutMs) {
      last = await this.health();
      if (check(last)) return performance.now() - t0;
      await sleep(5);
    }
    throw new Error(`timeout after ${timeoutMs} ms waiting for ${what} (pool ${JSON.stringify(last)})`);
  }

  /** SIGTERM, wait for the exit (the server closes its sessions first), SIGKILL past the timeout. Idempotent. */
  async stop(timeoutMs: number): Promise<ServerStop> {
    this.agent.destroy();
    const t0 = performance.now();
    let killed = false;
    if (this.alive) {
      this.child.kill('SIGTERM');
      const gone = await Promise.race([this.exited.then(() => true), sleep(timeoutMs).then(() => false)]);
      if (!gone) {
        log(`the server (pid ${this.pid}) did not exit within ${timeoutMs} ms of SIGTERM; SIGKILL`);
        killed = true;
        this.child.kill('SIGKILL');
        await Promise.race([this.exited, sleep(5_000)]);
      }
    }
    rmSync(this.stateDir, { recursive: true, force: true });
    return { stop_ms: Math.round(performance.now() - t0), exit: this.exitInfo ?? 'still running', killed };
  }

  private readUrl(): Promise<string> {
    return new Promise((resolve, reject) => {
      let buf = '';
      this.child.stdout?.on('data', (c: Buffer) => {
        buf += c.toString('utf8');
        const m = /PyREPL3 API server: (http:\/\/\S+)/.exec(buf);
        if (m?.[1]) resolve(m[1]);
        if (buf.length > 100_000) buf = buf.slice(-1000);
      });
      this.child.once('exit', () => reject(new Error(`the server exited (${this.exitInfo}) before printing its URL: ${this.stderrTail.trim().slice(-500)}`)));
      this.child.once('error', reject);
    });
  }
}
