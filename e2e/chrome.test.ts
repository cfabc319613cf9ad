// The terminal's surroundings: find (Ctrl+Shift+F), Ctrl+L, the light theme, copy with a selection, a reload that
// comes back to the same session, and Ctrl+D closing the session after a y/n question.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { bufferText, openRepl, pageErrors, screenText, shot, startStack, TOKEN, type, waitForMode, waitForScreen, type Stack } from './harness.js';

let stack: Stack;
let page: Page;

before(async () => {
  stack = await startStack();
  await stack.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  page = await openRepl(stack);
});

after(() => stack?.close());

test('opened without a token, the page asks for it, then connects (the token never goes into a URL)', async () => {
  const fresh = await stack.browser.newContext({ viewport: { width: 900, height: 500 } });
  const bare = await fresh.newPage();
  const requests: string[] = [];
  bare.on('request', (r) => requests.push(r.url()));
  await bare.goto(stack.server.url);
  await bare.waitForSelector('.auth-panel input[type="password"]');
  await bare.fill('.auth-panel input', 'wrong-token');
  await bare.press('.auth-panel input', 'Enter');
  await bare.waitForSelector('.auth-error:text("not accepted")');
  await shot(bare, '10-token-prompt');
  await bare.fill('.auth-panel input', TOKEN);
  await bare.press('.auth-panel input', 'Enter');
  await bare.waitForSelector('body[data-ready="true"]');
  await waitForScreen(bare, /^>>>$/m);
  assert.ok(requests.every((url) => !url.includes(TOKEN)));
  await fresh.close();
});

test('Ctrl+Shift+F finds text in the transcript', async () => {
  await type(page, 'print("needle in a haystack")\n');
  await waitForScreen(page, /^needle in a haystack$/m);
  await page.keyboard.press('Control+Shift+F');
  await page.waitForSelector('.search-bar:not([hidden]) input');
  await page.keyboard.type('haystack');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /\d+\/\d+/.test(document.querySelector('.search-count')?.textContent ?? ''));
  assert.match((await page.textContent('.search-count')) ?? '', /^\d\/2$/); // the typed line and the output
  await page.keyboard.press('Escape');
  await page.waitForSelector('.search-bar', { state: 'hidden' });
  await type(page, '1\n'); // focus is back in the terminal
  await waitForScreen(page, /^1\n>>>$/m);
});

test('Ctrl+C with a selection copies it instead of interrupting', async () => {
  const box = (await page.locator('.xterm-rows > div', { hasText: 'needle in a haystack' }).last().boundingBox())!;
  await page.mouse.dblclick(box.x + 5, box.y + box.height / 2); // selects the word "needle"
  await page.keyboard.press('Control+c');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'needle');
  assert.doesNotMatch(await screenText(page), /\^C/);
  await type(page, '2\n');
  await waitForScreen(page, /^2\n>>>$/m);
});

test('Ctrl+L clears the screen and keeps the prompt and the typed line', async () => {
  await type(page, 'x = 3');
  await page.keyboard.press('Control+l');
  await waitForScreen(page, /^>>> x = 3(\n|$)/); // the first row: everything above is gone
  assert.doesNotMatch(await bufferText(page), /needle/);
  await page.keyboard.press('Enter');
  await type(page, 'x\n');
  await waitForScreen(page, /^3\n>>>$/m);
});

test('the light theme is one shortcut away and remembered', async () => {
  await page.keyboard.press('Control+Shift+L');
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
  const background = await page.$eval('.xterm-scrollable-element', (e) => getComputedStyle(e).backgroundColor);
  assert.equal(background, 'rgb(251, 251, 250)');
  await type(page, 'import sys; print("an error", file=sys.stderr); 1/0\n');
  await waitForScreen(page, /^an error\nTraceback/m); // stderr and the traceback, no blank line between
  await waitForScreen(page, /^ZeroDivisionError: division by zero\n>>>$/m);
  await shot(page, '09-light-theme');
});

test('24-bit colour output is drawn in its colour', async () => {
  await type(page, 'print("\\x1b[38;2;255;0;128mtruecolor\\x1b[0m")\n');
  await waitForScreen(page, /^truecolor$/m);
  const colour = await page.$$eval('.xterm-rows span', (spans) => {
    const span = spans.find((s) => s.textContent === 'truecolor');
    return span ? getComputedStyle(span).color : null;
  });
  assert.equal(colour, 'rgb(255, 0, 128)');
});

test('a reload comes back to the same session with its transcript (no token in the URL)', async () => {
  const sessionId = await page.evaluate(() => window.pyreplDebug!.status().sessionId);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await waitForMode(page, 'prompt');
  assert.equal(await page.evaluate(() => window.pyreplDebug!.status().sessionId), sessionId);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  await waitForScreen(page, /^ZeroDivisionError: division by zero$/m); // replayed
  await type(page, 'x\n'); // the namespace is the same
  await waitForScreen(page, /^3\n>>>$/m);
});

test('Ctrl+D on an empty line asks, y closes the session, Enter then starts a new one', async () => {
  const sessionId = await page.evaluate(() => window.pyreplDebug!.status().sessionId);
  await page.keyboard.press('Control+d');
  await waitForScreen(page, /^Close this session for everyone\? \[y\/N\]$/m);
  await page.keyboard.press('n');
  await waitForMode(page, 'prompt');
  await page.keyboard.press('Control+d');
  await page.keyboard.press('y');
  await waitForScreen(page, /Session closed \(.*\)\. Press Enter to start a new session\./);
  await page.waitForFunction(() => window.pyreplDebug!.status().state === 'closed');
  await page.keyboard.press('Enter');
  await page.waitForSelector('body[data-ready="true"]');
  await waitForMode(page, 'prompt');
  assert.notEqual(await page.evaluate(() => window.pyreplDebug!.status().sessionId), sessionId);
  assert.deepEqual(pageErrors(page), []);
});
