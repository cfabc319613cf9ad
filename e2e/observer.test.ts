// Observers and the session menu: an observer page beside the owner's sees the owner's cells live (code, output,
// input answers), replayed for a late joiner, and cannot type; the menu lists sessions and opens them in new tabs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { bufferText, openRepl, pageErrors, shot, startStack, type, waitForMode, waitForScreen, type Stack } from './harness.js';

let stack: Stack;
let owner: Page;
let observer: Page;
let sessionId: string;

before(async () => {
  stack = await startStack();
  owner = await openRepl(stack);
  sessionId = (await owner.evaluate(() => window.pyreplDebug!.status().sessionId)) as string;
  await type(owner, 'before_you_came = "ran before the observer joined"; print(before_you_came)\n');
  await waitForScreen(owner, /^ran before the observer joined$/m);
});

after(() => stack?.close());

test('a late observer sees the transcript so far, with a visible "observing" banner', async () => {
  observer = await openRepl(stack, `session=${sessionId}&role=observer`, 'observer'); // the owner's cookie is shared
  assert.equal(await observer.isVisible('#observer-banner'), true);
  assert.match((await observer.textContent('#observer-banner')) ?? '', new RegExp(`Observing session ${sessionId.slice(0, 8)}`));
  const screen = await waitForScreen(observer, /^ran before the observer joined$/m);
  assert.match(screen, /^>>> before_you_came = /m);
  assert.match(screen, /Observing \(read-only\)/);
});

test('the observer sees the owner\'s cell live: code, output as it streams, input answered', async () => {
  await type(owner, 'import time\n');
  await waitForMode(owner, 'prompt');
  await type(owner, 'for i in range(3):\n');
  await type(owner, 'print("tick", i); time.sleep(0.4)\n\n');
  await waitForScreen(observer, /^>>> for i in range\(3\):\n\.\.\.     print\("tick", i\); time\.sleep\(0\.4\)$/m);
  await waitForScreen(observer, /^tick 0$/m);
  assert.doesNotMatch(await bufferText(observer), /tick 2/); // live: the cell is still running
  await waitForScreen(observer, /^tick 2$/m);
  await type(owner, 'answer = input("Favourite colour? ")\n');
  await waitForScreen(observer, /^Favourite colour\?$/m);
  await type(owner, 'teal\n');
  await waitForScreen(observer, /^Favourite colour\? teal$/m);
  await shot(observer, '05-observer');
});

test('typing in the observer shows a read-only notice and runs nothing', async () => {
  await observer.bringToFront();
  await observer.click('.xterm-screen');
  await type(observer, 'print("should not run")\n');
  await observer.waitForSelector('#toast:not([hidden])');
  assert.match((await observer.textContent('#toast')) ?? '', /Read-only/);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.doesNotMatch(await bufferText(owner), /should not run/);
  assert.doesNotMatch(await bufferText(observer), /should not run/);
  await shot(observer, '05b-observer-readonly');
});

test('the owner\'s status line counts the observer', async () => {
  await owner.bringToFront();
  await owner.waitForFunction(() => window.pyreplDebug!.status().observers === 1, undefined, { timeout: 15_000 });
  assert.match((await owner.textContent('[data-field="clients"]')) ?? '', /1 owner · 1 observer/);
  // Live both ways (the server's `clients` notices, no polling): a second observer comes and goes.
  const second = await openRepl(stack, `session=${sessionId}&role=observer`, 'observer');
  await owner.waitForFunction(() => window.pyreplDebug!.status().observers === 2, undefined, { timeout: 5000 });
  await second.close();
  await owner.waitForFunction(() => window.pyreplDebug!.status().observers === 1, undefined, { timeout: 5000 });
});

test('the session menu lists sessions and opens one as observer in a new tab', async () => {
  await owner.keyboard.press('Control+Shift+P');
  await owner.waitForSelector(`.session-row[data-session-id="${sessionId}"]`);
  const row = await owner.textContent(`.session-row[data-session-id="${sessionId}"]`);
  assert.match(row ?? '', /this tab/);
  assert.equal(await owner.evaluate(() => document.activeElement?.textContent), 'Open'); // keyboard-ready
  await shot(owner, '06-session-list');
  const popup = stack.context.waitForEvent('page');
  await owner.click(`.session-row[data-session-id="${sessionId}"] .menu-observe`);
  const opened = await popup;
  await opened.waitForSelector('body[data-ready="true"]');
  assert.equal(new URL(opened.url()).hash, ''); // the fragment was read and cleared
  assert.equal(await opened.evaluate(() => window.pyreplDebug!.mode()), 'observer');
  await waitForScreen(opened, /^Favourite colour\? teal$/m);
  await opened.close();
  assert.equal(await owner.isVisible('dialog.session-menu'), false);
});

test('the session menu is keyboard-driven: Escape closes it, focus returns to the terminal', async () => {
  await owner.keyboard.press('Control+Shift+P');
  await owner.waitForSelector('dialog.session-menu[open]');
  await owner.keyboard.press('Escape');
  await owner.waitForSelector('dialog.session-menu:not([open])', { state: 'attached' });
  await type(owner, '1 + 1\n');
  await waitForScreen(owner, /^2\n>>>$/m);
  assert.deepEqual(pageErrors(owner), []);
  assert.deepEqual(pageErrors(observer), []);
});
