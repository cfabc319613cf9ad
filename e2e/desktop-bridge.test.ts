// The renderer's side of the desktop app's preload, in a real browser: the page takes its connection from
// window.pyreplConnection (no token in the URL), tells the app which session it shows and when the user switches the
// theme, and follows a theme the app sends. A stand-in for the preload's bridge records what the page says. (The
// preload and main themselves are tested under Node with a fake electron; Electron cannot run here.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startStack, TOKEN, type, waitForMode, waitForScreen, type Stack } from './harness.js';

let stack: Stack;

before(async () => {
  stack = await startStack();
});

after(() => stack?.close());

/** Opens the terminal as the desktop window would: the bridge is there before the page's first script. */
async function openWithBridge(connection: Record<string, unknown>): Promise<Page> {
  const page = await stack.context.newPage();
  // A string, not a function: the test's compiled functions carry helpers (esbuild's __name) the page lacks.
  await page.addInitScript(`{
    const told = [];
    let themeListener = null;
    window.__told = told;
    window.__sendTheme = (theme) => themeListener && themeListener(theme);
    window.pyreplConnection = ${JSON.stringify(connection)};
    window.pyreplShell = {
      sessionChanged: (id, role) => told.push(['session', id, role]),
      themeChanged: (theme) => told.push(['theme', theme]),
      onTheme: (listener) => { themeListener = listener; },
    };
  }`);
  await page.goto(`${stack.server.url}/`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
  return page;
}

const told = (page: Page) => page.evaluate(() => (window as unknown as { __told: unknown[][] }).__told);

test('the page connects with the injected connection, and reports its session and theme switches to the app', async () => {
  const page = await openWithBridge({ baseUrl: stack.server.url, token: TOKEN, role: 'owner' });
  await waitForMode(page, 'prompt');
  assert.equal(new URL(page.url()).hash, '', 'no token in the address bar');
  const sessionId = (await page.evaluate(() => window.pyreplDebug!.status().sessionId)) as string;
  assert.ok(sessionId);
  assert.deepEqual((await told(page)).filter(([what]) => what === 'session').at(-1), ['session', sessionId, 'owner']);
  await type(page, '6 * 7\n');
  await waitForScreen(page, /^42\n>>>$/m);

  const themeBefore = await page.evaluate(() => document.documentElement.dataset.theme);
  await page.keyboard.press('Control+Shift+L');
  const themeAfter = await page.evaluate(() => document.documentElement.dataset.theme);
  assert.notEqual(themeAfter, themeBefore);
  assert.deepEqual((await told(page)).filter(([what]) => what === 'theme').at(-1), ['theme', themeAfter]);
  // The app's preference changed elsewhere (its menu, another window): the page follows without a reload.
  await page.evaluate((theme) => (window as unknown as { __sendTheme(t: string): void }).__sendTheme(theme), themeBefore!);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), themeBefore);
  assert.equal((await told(page)).filter(([what]) => what === 'theme').length, 1, 'a theme from the app is not echoed back');

  // An observer window: the injected role and session decide, as the app's window target does.
  const observer = await openWithBridge({ baseUrl: stack.server.url, token: TOKEN, role: 'observer', sessionId });
  await waitForMode(observer, 'observer');
  assert.equal(await observer.isVisible('#observer-banner'), true);
  await waitForScreen(observer, /^42$/m);
  assert.deepEqual((await told(observer)).filter(([what]) => what === 'session').at(-1), ['session', sessionId, 'observer']);
  await observer.close();
  await page.close();
});
