// The REPL in a real browser against the real server: typing, multi-line blocks, input(), Ctrl+C, history, Tab
// completion, tracebacks, paste. One page (one session) for the file; each test starts from a fresh prompt.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { bufferText, openRepl, pageErrors, screenText, shot, startStack, type, waitForMode, waitForScreen, type Stack } from './harness.js';

let stack: Stack;
let page: Page;

before(async () => {
  stack = await startStack();
  page = await openRepl(stack);
});

after(() => stack?.close());

test('banner with the Python version and a >>> prompt; the token left the address bar', async () => {
  const screen = await waitForScreen(page, /^>>>$/m);
  assert.match(screen, /^Python 3\.\d+\.\d+ · PyREPL3 session [0-9a-f]{8}/);
  assert.equal(new URL(page.url()).hash, '');
  assert.equal(await page.$$eval('template[data-xterm-style]', (t) => t.length), 3); // terminal styles via CSSOM
  await shot(page, '01-prompt');
});

test('type code, see its output and result', async () => {
  await type(page, 'print("hello from the browser")\n');
  await waitForScreen(page, /^hello from the browser$/m);
  await type(page, '6 * 7\n');
  const screen = await waitForScreen(page, /^42\n>>>$/m);
  assert.match(screen, /^>>> 6 \* 7$/m);
  await shot(page, '02-output');
});

test('multi-line def, then call it', async () => {
  await type(page, 'def greet(name):\n');
  await waitForScreen(page, /^\.\.\.$/m); // the continuation prompt
  await type(page, 'return "hi " + name.upper()\n\n');
  await waitForMode(page, 'prompt');
  await type(page, 'greet("ada")\n');
  const screen = await waitForScreen(page, /^'hi ADA'$/m);
  assert.match(screen, /^>>> def greet\(name\):\n\.\.\.     return "hi " \+ name\.upper\(\)\n\.\.\.$/m);
});

test('input() prompts inline and the typed line answers it; getpass does not echo', async () => {
  await type(page, 'name = input("Your name? "); print("Hello,", name)\n');
  await waitForScreen(page, /^Your name\?$/m);
  await waitForMode(page, 'input');
  await shot(page, '04-input-prompt');
  await type(page, 'Grace\n');
  await waitForScreen(page, /^Your name\? Grace\nHello, Grace$/m);
  await waitForMode(page, 'prompt');
  await type(page, 'import getpass; pw = getpass.getpass("Password: "); len(pw)\n');
  await waitForMode(page, 'input');
  await type(page, 'hunter2\n');
  const screen = await waitForScreen(page, /^7\n>>>$/m);
  assert.doesNotMatch(screen, /hunter2/);
});

test('Ctrl+C interrupts a running `while True: pass`', async () => {
  await type(page, 'while True: pass\n\n');
  await waitForMode(page, 'busy');
  await page.waitForFunction(() => window.pyreplDebug!.status().state === 'busy');
  await page.keyboard.press('Control+c');
  const screen = await waitForScreen(page, /^KeyboardInterrupt\s*\n>>>$/m);
  assert.match(screen, /Traceback \(most recent call last\):/);
  await waitForMode(page, 'prompt');
});

test('Ctrl+C at an idle prompt clears the line', async () => {
  await type(page, 'not run');
  await page.keyboard.press('Control+c');
  await waitForScreen(page, /^>>> not run\^C\n>>>$/m);
});

test('a traceback shows in its own colour', async () => {
  await type(page, 'def boom():\n');
  await type(page, 'return 1 / 0\n\n');
  await waitForMode(page, 'prompt');
  await type(page, 'boom()\n');
  await waitForScreen(page, /^ZeroDivisionError: division by zero\n>>>$/m);
  // (No named functions inside evaluate callbacks: tsx would wrap them in a helper the page does not have.)
  const colours = await page.$$eval('.xterm-rows > div', (rows) =>
    ['ZeroDivisionError', '>>> boom()'].map((start) => {
      const row = rows.find((r) => r.textContent?.replace(/\u00a0/g, ' ').startsWith(start));
      return row ? getComputedStyle(row.querySelector('span:last-child') ?? row).color : null;
    }),
  );
  assert.ok(colours[0] && colours[1] && colours[0] !== colours[1], JSON.stringify(colours));
  await shot(page, '03-traceback');
});

test('↑ recalls history, a block comes back whole; Ctrl+R searches it', async () => {
  await type(page, 'for i in range(2):\n');
  await type(page, 'print("row", i)\n\n');
  await waitForScreen(page, /^row 1\n>>>$/m);
  await page.keyboard.press('ArrowUp');
  await waitForScreen(page, /^>>> for i in range\(2\):\n\.\.\.     print\("row", i\)\s*$/m);
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+r');
  await type(page, 'greet(');
  await waitForScreen(page, /\(reverse-i-search\)'greet\(': greet\("ada"\)$/m);
  await shot(page, '12-reverse-search');
  await page.keyboard.press('Enter');
  await waitForScreen(page, /^'hi ADA'\n>>>$/m);
});

test('Tab completes a unique name and lists several in columns', async () => {
  await type(page, 'import collections\n');
  await waitForMode(page, 'prompt');
  await type(page, 'collections.OrderedDi');
  await page.keyboard.press('Tab');
  await waitForScreen(page, /^>>> collections\.OrderedDict\(?$/m); // callables complete with their parenthesis
  await page.keyboard.press('Control+u');
  await type(page, 'collections.');
  await page.keyboard.press('Tab');
  const screen = await waitForScreen(page, /OrderedDict.*\n(.*\n)*>>> collections\.$/m);
  assert.match(screen, /^ChainMap\(\s+\S/m); // attribute names, several per row, padded into columns
  await shot(page, '11-completions');
  await page.keyboard.press('Control+c');
});

test('a pasted multi-line block is one cell', async () => {
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text/plain', 'total = 0\nfor n in range(5):\n    total += n\nprint("total", total)\n');
    document.querySelector('.xterm-helper-textarea')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await waitForScreen(page, /^\.\.\. print\("total", total\)$/m);
  await page.keyboard.press('Enter');
  await waitForScreen(page, /^total 10\n>>>$/m);
  const transcript = await bufferText(page);
  assert.equal(transcript.match(/^total 10$/gm)?.length, 1);
});

test('wide characters: the cursor stays right after CJK and emoji', async () => {
  await type(page, 's = "中文😀"');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await type(page, 'x');
  await page.keyboard.press('End');
  await type(page, '\n');
  await type(page, 's\n');
  await waitForScreen(page, /^'中文x😀'$/m);
});

test('stdout and stderr stream in order; \\r progress bars overwrite their line', async () => {
  await type(page, 'import sys, time\n');
  await type(page, 'for p in range(0, 101, 25): print(f"\\rprogress {p}%", end="", flush=True); time.sleep(0.05)\n\n');
  await waitForScreen(page, /^progress 100%\n>>>$/m);
  const screen = await screenText(page);
  assert.doesNotMatch(screen, /progress 50%/);
  await type(page, 'print("out"); print("err", file=sys.stderr); print("out2")\n');
  await waitForScreen(page, /^out\nerr\nout2\n>>>$/m);
  assert.deepEqual(pageErrors(page), []);
});
