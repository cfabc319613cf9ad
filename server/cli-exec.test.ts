import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findPython } from './session/python-discovery.js';
import { waitFor } from './session/testing/helpers.js';

const CLI = fileURLToPath(new URL('../bin/pyrepl.mjs', import.meta.url));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `pyrepl exec ...args` with `stdin` piped in; `during` may act on the child while it runs. */
function pyreplExec(args: string[], stdin = '', during?: (child: ReturnType<typeof spawn>, out: () => string) => Promise<void>): Promise<Ran> {
  const child = spawn(process.execPath, [CLI, 'exec', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(stdin);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return (async () => {
    if (during) await during(child, () => stdout);
    return { code: await exited, stdout, stderr };
  })();
}

test('pyrepl exec: input() reads our stdin and shows its prompt, as python3 -c does with a pipe', async () => {
  const r = await pyreplExec(['x = input("name? "); y = input("again? "); print("hi", x, y)'], 'Ada\nBob\n');
  assert.deepEqual(r, { code: 0, stdout: 'name? again? hi Ada Bob\n', stderr: '' });
  const eof = await pyreplExec(['x = input("name? ")']);
  assert.equal(eof.code, 1);
  assert.match(eof.stderr, /EOFError\n$/);
});

test("pyrepl exec: the exit status is Python's (sys.exit(N), SystemExit with a message, an uncaught exception)", async () => {
  assert.equal((await pyreplExec(['import sys; print("bye"); sys.exit(3)'])).code, 3);
  const message = await pyreplExec(['raise SystemExit("stopped")']);
  assert.deepEqual([message.code, message.stderr], [1, 'stopped\n']);
  assert.equal((await pyreplExec(['exit()'])).code, 0);
  assert.equal((await pyreplExec(['1/0'])).code, 1);
});

test('pyrepl exec: - reads the code from stdin; no code at all is a usage error', async () => {
  assert.deepEqual(await pyreplExec(['-'], 'print("from stdin")\n2 + 2\n'), { code: 0, stdout: 'from stdin\n4\n', stderr: '' });
  const none = await pyreplExec([]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^usage: pyrepl exec/);
});

test('pyrepl exec: Ctrl+C (SIGINT) interrupts the code: KeyboardInterrupt and exit status 130', async () => {
  const r = await pyreplExec(['import time\nprint("sleeping", flush=True)\ntime.sleep(60)'], '', async (child, out) => {
    await waitFor(() => out().includes('sleeping'), 20_000, 'the code to start');
    child.kill('SIGINT');
  });
  assert.equal(r.code, 130);
  assert.match(r.stderr, /time\.sleep\(60\)[\s\S]*KeyboardInterrupt\n$/);
});

test('pyrepl exec on a terminal: input() is echoed by the terminal, getpass() is not', async () => {
  // Node has no pty of its own: Python's pty module runs the CLI on one and types the answers.
  const driver = `
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], sys.argv[2], 'exec', 'import getpass\\nname = input("name? ")\\npw = getpass.getpass("pw: ")\\nprint(name, len(pw))'])
out = b''
answers = [(b'name? ', b'Ada\\r'), (b'pw: ', b's3cret\\r')]
deadline = time.time() + 30
while time.time() < deadline:
    if answers and out.endswith(answers[0][0]):
        os.write(fd, answers.pop(0)[1])
    if select.select([fd], [], [], 0.1)[0]:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
os.waitpid(pid, 0)
sys.stdout.write(out.decode())
`;
  const python = (await findPython({})).path;
  const child = spawn(python, ['-c', driver, process.execPath, CLI], { stdio: ['ignore', 'pipe', 'inherit'] });
  let screen = '';
  child.stdout.on('data', (c: Buffer) => (screen += c.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(screen.replace(/\r/g, ''), 'name? Ada\npw: \nAda 6\n', 'the name is echoed, the password is not');
});
