/**
 * `pyrepl exec CODE` (or `-` to read CODE from stdin): runs it in a fresh session the way `python3 -c CODE` would.
 * Output goes to our stdout/stderr as it comes, a final expression's value is printed (it is a REPL session), input()
 * reads lines from our stdin and shows its prompt as Python's input() does, getpass() does not echo on a terminal,
 * Ctrl+C interrupts the code, and the exit status is Python's: 0, 1 after an uncaught exception, 130 after
 * KeyboardInterrupt, N after sys.exit(N).
 */
import { createInterface, type Interface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { Session } from './session/session.js';

/** What an uncaught KeyboardInterrupt exits with, as a shell reports a process ended by SIGINT. */
const EXIT_INTERRUPTED = 130;

const ABORTED = Symbol('aborted');

export interface ExecIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const USAGE = 'usage: pyrepl exec [--python PATH] CODE   (CODE "-" reads the code from stdin)\n';

export async function execCommand(args: string[], io: ExecIo = process): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { python: { type: 'string' } }, allowPositionals: true });
  if (positionals.length === 0) {
    io.stderr.write(USAGE);
    return 2;
  }
  const code = positionals.length === 1 && positionals[0] === '-' ? await readAll(io.stdin) : positionals.join(' ');
  const session = await Session.create(values.python ? { pythonSources: { explicit: values.python } } : {});
  const input = new StdinLines(io);
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts += 1;
    input.abort(); // an input() being answered ends with the KeyboardInterrupt, not with a line
    if (interrupts > 1) void session.close(); // a second Ctrl+C: stop waiting for code that ignores the first
    else session.interrupt();
  };
  process.on('SIGINT', onSigint);
  try {
    let status = 0;
    for await (const event of session.execute({ code })) {
      if (event.type === 'output') (event.stream === 'stdout' ? io.stdout : io.stderr).write(event.data);
      else if (event.type === 'result') io.stdout.write(`${event.repr}\n`);
      else if (event.type === 'error') {
        status = event.exception === 'KeyboardInterrupt' ? EXIT_INTERRUPTED : 1;
        io.stderr.write(event.traceback || `${event.exception}: ${event.message}\n`);
      } else if (event.type === 'exit') {
        status = typeof event.code === 'number' ? event.code : event.code === null ? 0 : 1;
      } else if (event.type === 'input_request') {
        const line = await input.read(event.prompt, event.password, onSigint);
        // Interrupted: the request ended with the KeyboardInterrupt, there is nothing left to answer.
        if (line !== ABORTED) await session.answerInput(event.token, line);
      }
    }
    return interrupts > 1 ? EXIT_INTERRUPTED : status;
  } finally {
    process.off('SIGINT', onSigint);
    input.close();
    await session.close();
  }
}

async function readAll(stdin: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Lines for input(): from a pipe or file through one reader (so no buffered line is lost between requests), or from a
 * terminal one prompt at a time (see fromTerminal). null at end of input.
 */
class StdinLines {
  private pipedReader: Interface | null = null;
  private piped: AsyncIterator<string> | null = null;
  /** A line asked for by a read that was aborted: the next read takes it, so no line is lost. */
  private pendingLine: Promise<IteratorResult<string>> | null = null;
  private abortRead: (() => void) | null = null;

  constructor(private readonly io: ExecIo) {}

  read(prompt: string, password: boolean, onInterrupt: () => void): Promise<string | null | typeof ABORTED> {
    if (this.io.stdin.isTTY) return this.fromTerminal(prompt, password, onInterrupt);
    return this.fromPipe(prompt, password);
  }

  /** Ends the read under way (if any) with ABORTED. */
  abort(): void {
    this.abortRead?.();
  }

  close(): void {
    this.pipedReader?.close();
  }

  private async fromPipe(prompt: string, password: boolean): Promise<string | null | typeof ABORTED> {
    // Python's input() writes its prompt to stdout also when stdin is not a terminal; getpass() to stderr.
    (password ? this.io.stderr : this.io.stdout).write(prompt);
    if (!this.piped) {
      this.pipedReader = createInterface({ input: this.io.stdin, crlfDelay: Infinity, terminal: false });
      this.piped = this.pipedReader[Symbol.asyncIterator]();
    }
    this.pendingLine ??= this.piped.next();
    const aborted = new Promise<typeof ABORTED>((resolve) => (this.abortRead = () => resolve(ABORTED)));
    const next = await Promise.race([this.pendingLine, aborted]);
    this.abortRead = null;
    if (next === ABORTED) return ABORTED;
    this.pendingLine = null;
    return next.done ? null : next.value;
  }

  /**
   * A terminal, one prompt at a time. input() leaves the terminal as it is (its own echo and line editing, and Ctrl+C
   * is the process's SIGINT), as Python does without readline; readline here would redraw the line and wipe what was
   * printed before the prompt. getpass() takes the terminal over through readline with its echo going nowhere.
   */
  private fromTerminal(prompt: string, password: boolean, onInterrupt: () => void): Promise<string | null | typeof ABORTED> {
    const shown = password ? this.io.stderr : this.io.stdout;
    const rl = password
      ? createInterface({ input: this.io.stdin, output: new Writable({ write: (_chunk, _encoding, done) => done() }), terminal: true })
      : createInterface({ input: this.io.stdin, terminal: false });
    return new Promise((resolve) => {
      let settled = false;
      const finish = (line: string | null | typeof ABORTED): void => {
        if (settled) return;
        settled = true;
        this.abortRead = null;
        rl.close();
        resolve(line);
      };
      this.abortRead = () => finish(ABORTED);
      // In raw mode readline takes Ctrl+C away from the process: pass it on as the interrupt it is.
      rl.on('SIGINT', onInterrupt);
      rl.on('close', () => finish(null)); // Ctrl+D
      shown.write(prompt);
      rl.once('line', (line) => {
        if (password) shown.write('\n');
        finish(line);
      });
    });
  }
}
