/**
 * One Python worker process and its two private pipes (docs/worker-protocol.md): spawning, framing, validation of
 * every event, death detection and the close → SIGTERM → SIGKILL escalation. It knows nothing of executions; Session
 * builds those on top.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { OutputFrameHeader, WorkerEvent, type Stream, type WorkerCommand } from '../../protocol/worker-messages.js';
import { fastExecutionEvent, fastOutputHeader } from '../../protocol/worker-fast-path.js';
import { PyreplError } from '../../protocol/errors.js';
import { FrameReader } from './frame-reader.js';
import {
  SHUTDOWN_MESSAGE_GRACE_MS,
  SHUTDOWN_TERM_GRACE_MS,
  WORKER_DIAGNOSTIC_TAIL_BYTES,
} from './constants.js';

/** A worker line may carry a large result repr; above this it is a broken worker, not data. */
export const MAX_WORKER_LINE_BYTES = 64 * 1024 * 1024;

/** After the process exits, how long to wait for its pipes to drain (a leftover grandchild may hold one open). */
const EXIT_DRAIN_TIMEOUT_MS = 2_000;

const BOOTSTRAP = 'import sys;sys.path.insert(0,sys.argv[1]);import pyrepl_worker.main as m;m.main()';

export interface WorkerSpawnOptions {
  python: string;
  runtimeDir: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  memoryLimitMb?: number | null;
  /** Replace the interpreter arguments (tests use this to run a deliberately broken worker). */
  argsOverride?: string[];
}

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why Node ended it, when it did: 'shutdown', 'killed: <reason>'. Null when it died by itself. */
  cause: string | null;
  /** The tail of what the worker wrote to its raw stdout/stderr (start-up errors, faulthandler output). */
  diagnostics: string;
}

interface WorkerProcessEvents {
  event: [WorkerEvent];
  exit: [WorkerExit];
}

export class WorkerProcess extends EventEmitter<WorkerProcessEvents> {
  readonly child: ChildProcess;
  private readonly commands: Writable;
  private readonly events: Readable;
  private readonly reader = new FrameReader(MAX_WORKER_LINE_BYTES);
  /** Output arrives as raw bytes; one decoder per stream keeps a character split across events whole. */
  private readonly decoders: Record<Stream, StringDecoder> = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private diagnostics = '';
  private killCause: string | null = null;
  private exited: WorkerExit | null = null;
  private childExited = false;
  private readonly exitPromise: Promise<WorkerExit>;

  constructor(options: WorkerSpawnOptions) {
    super();
    const env: NodeJS.ProcessEnv = {
      ...(options.env ?? process.env),
      PYREPL_CMD_FD: '3',
      PYREPL_EVT_FD: '4',
    };
    if (options.memoryLimitMb) env.PYREPL_MEMORY_LIMIT_MB = String(options.memoryLimitMb);
    const args = options.argsOverride ?? ['-c', BOOTSTRAP, options.runtimeDir];
    this.child = spawn(options.python, args, {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      env,
      cwd: options.cwd,
      // Its own process group: no controlling terminal, a terminal's Ctrl+C does not reach it, and killing the
      // group also ends whatever subprocesses user code started.
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const stdio = this.child.stdio;
    this.commands = stdio[3] as Writable;
    this.events = stdio[4] as Readable;
    this.exitPromise = new Promise((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (this.exited) return;
        this.exited = { code, signal, cause: this.killCause, diagnostics: this.diagnostics };
        resolve(this.exited);
        this.emit('exit', this.exited);
      };
      // 'close' comes after 'exit' once every pipe is drained, so events the worker wrote just before dying (its
      // last output) are delivered before its death is reported.
      this.child.once('close', (code, signal) => finish(code, signal));
      this.child.once('exit', (code, signal) => {
        this.childExited = true;
        // A worker that dies leaves its subprocesses behind; end them with it.
        this.signalGroup('SIGKILL');
        this.events.resume();
        setTimeout(() => finish(code, signal), EXIT_DRAIN_TIMEOUT_MS).unref();
      });
    });
    // Spawn failures (ENOENT, EACCES) arrive as 'error' and are followed by no 'exit'.
    this.child.once('error', (err) => {
      if (this.exited) return;
      this.diagnostics += `\n${err.message}`;
      this.exited = { code: null, signal: null, cause: `spawn failed: ${err.message}`, diagnostics: this.diagnostics };
      this.emit('exit', this.exited);
    });
    this.commands.on('error', () => {
      /* EPIPE when the worker has died: its exit is reported through 'exit'. */
    });
    this.events.on('data', (chunk: Buffer) => this.onEventBytes(chunk));
    for (const raw of [stdio[1], stdio[2]] as Readable[]) {
      raw.on('data', (chunk: Buffer) => {
        this.diagnostics = (this.diagnostics + chunk.toString('utf8')).slice(-WORKER_DIAGNOSTIC_TAIL_BYTES);
      });
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exited !== null;
  }

  /** Resolves when the process has exited (immediately if it already has). */
  waitForExit(): Promise<WorkerExit> {
    if (this.exited) return Promise.resolve(this.exited);
    return this.exitPromise;
  }

  send(command: WorkerCommand): void {
    if (this.exited || this.commands.destroyed) return;
    this.commands.write(`${JSON.stringify(command)}\n`);
  }

  /** Flow control: stop reading the worker's events (it then blocks in its own write) and start again. */
  pause(): void {
    if (!this.childExited) this.events.pause();
  }

  resume(): void {
    this.events.resume();
  }

  /** Kills the worker now (SIGKILL to its group), recording why, for the error the session reports. */
  kill(cause: string): void {
    if (this.exited) return;
    this.killCause ??= cause;
    this.signalGroup('SIGKILL');
  }

  /**
   * The shutdown escalation, as jupyter_client does it: ask (shutdown command, then EOF on its command pipe), then
   * SIGTERM, then SIGKILL. Resolves once the process is gone.
   */
  async shutdown(
    graces: { messageMs?: number; termMs?: number } = {},
  ): Promise<WorkerExit> {
    if (this.exited) return this.exited;
    this.killCause ??= 'shutdown';
    this.send({ type: 'shutdown' });
    this.commands.end();
    if (await this.exitsWithin(graces.messageMs ?? SHUTDOWN_MESSAGE_GRACE_MS)) return this.waitForExit();
    this.signalGroup('SIGTERM');
    if (await this.exitsWithin(graces.termMs ?? SHUTDOWN_TERM_GRACE_MS)) return this.waitForExit();
    this.signalGroup('SIGKILL');
    return this.waitForExit();
  }

  private exitsWithin(ms: number): Promise<boolean> {
    if (this.exited) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      void this.exitPromise.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      if (process.platform === 'win32') this.child.kill(signal);
      else process.kill(-pid, signal);
    } catch {
      try {
        this.child.kill(signal);
      } catch {
        /* already gone */
      }
    }
  }

  private onEventBytes(chunk: Buffer): void {
    try {
      this.reader.push(chunk, (message, payload) => this.onFrame(message, payload));
    } catch (err) {
      this.protocolViolation(err instanceof Error ? err.message : String(err));
    }
  }

  private onFrame(message: unknown, payload: Buffer | null): void {
    if (this.exited || this.killCause) return;
    if (payload !== null) {
      const header = fastOutputHeader(message) ?? OutputFrameHeader.safeParse(message).data;
      if (!header) {
        this.protocolViolation(`an invalid output header: ${truncate(JSON.stringify(message), 120)}`);
        return;
      }
      const { execution_id, stream } = header;
      this.emit('event', { type: 'output', execution_id, stream, data: this.decoders[stream].write(payload) });
      return;
    }
    const event = fastExecutionEvent(message) ?? WorkerEvent.safeParse(message).data;
    if (!event) {
      this.protocolViolation(`invalid message: ${truncate(JSON.stringify(message), 120)}`);
      return;
    }
    this.emit('event', event);
  }

  private protocolViolation(detail: string): void {
    this.kill(`protocol error: the worker sent ${detail}`);
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Describes how a worker ended, for the error a session reports: "exited with code 3", "killed by SIGSEGV". */
export function describeExit(exit: WorkerExit): string {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code ?? 'unknown'}`;
  const why = exit.cause && exit.cause !== 'shutdown' ? ` (${exit.cause})` : '';
  return `the Python worker ${how}${why}`;
}

export function workerStartError(exit: WorkerExit): PyreplError {
  const tail = exit.diagnostics.trim();
  return new PyreplError(
    'worker_start_failed',
    `${describeExit(exit)} before it was ready${tail ? `: ${tail.split('\n').slice(-5).join('\n')}` : ''}`,
    { exit_code: exit.code, signal: exit.signal },
  );
}
