import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CHANNEL_APPLY_THEME, CHANNEL_GET_CONNECTION, CHANNEL_SESSION_CHANGED, CHANNEL_THEME_CHANGED } from './connection-handoff.js';
import { settingsPath } from './settings.js';
import { FAKE_TOKEN, FAKE_URL, harness, settle } from './testing/harness.js';

test('a second instance does not start: no handlers, no server (it quits and the first comes forward)', async () => {
  const { app, host, launched } = harness({ setup: (h) => (h.lockAvailable = false) });
  assert.equal(app.register(), false);
  assert.equal(host.beforeQuit.length + host.syncHandlers.size + host.contentsCreated.length, 0);
  assert.equal(launched.length, 0);
});

test('start: the chosen Python runs the server; the first window is hardened and loads the renderer', async () => {
  const { app, host, launched } = harness();
  assert.equal(app.register(), true);
  assert.equal(host.permission, null, 'register() runs before app ready: it must not touch the default session');
  assert.equal(host.windows.length + host.menus.length, 0);
  await app.start();
  assert.equal(app.state, 'running');
  assert.deepEqual(launched, [{ python: '/usr/bin/python3', runtimeDir: undefined }], 'from source: the package\'s python-runtime/');
  const [win] = host.windows;
  assert.ok(win);
  assert.deepEqual(win.loaded, [`${FAKE_URL}/`]);
  const prefs = win.options.webPreferences;
  assert.deepEqual([prefs.contextIsolation, prefs.sandbox, prefs.nodeIntegration, prefs.webSecurity], [true, true, false, true]);
  assert.equal(prefs.preload, '/app/dist/electron/preload.cjs');
  assert.equal(win.options.show, false);
  assert.equal(win.shown, false);
  win.emit('ready-to-show');
  assert.equal(win.shown, true);
  // The policy is attached to every webContents as it is created.
  assert.equal(win.webContents.tryNavigate('https://evil.example/'), true);
  assert.deepEqual(win.webContents.tryOpen(`${FAKE_URL}/#session=zz&role=observer`), { action: 'deny' });
  assert.equal(host.windows.length, 2, 'the session link became an app window');
  assert.equal(host.item('new-session').enabled, true);
  assert.equal(host.permission!('media', FAKE_URL), false);
});

test('a packaged app passes its resources: bundled Python when it exists, python-runtime as the runtime dir', async () => {
  const probed: string[] = [];
  const { app, launched } = harness({
    setup: (h) => (h.isPackaged = true),
    exists: (p) => p === '/opt/PyREPL3/resources/python/bin/python3',
    probe: async (p) => (probed.push(p), { ok: true, version: '3.12.1' }),
    env: { PYREPL_PYTHON: '/usr/bin/python3.11' },
  });
  app.register();
  await app.start();
  assert.deepEqual(probed, ['/opt/PyREPL3/resources/python/bin/python3']);
  assert.deepEqual(launched, [{ python: '/opt/PyREPL3/resources/python/bin/python3', runtimeDir: '/opt/PyREPL3/resources/python-runtime' }]);
});

test('IPC: the connection goes only to our own windows showing the server\'s origin', async () => {
  const { app, host } = harness();
  app.register();
  await app.start();
  const win = host.windows[0]!;
  const get = host.syncHandlers.get(CHANNEL_GET_CONNECTION)!;
  const own = { frameUrl: `${FAKE_URL}/`, contentsId: win.webContents.id };
  assert.deepEqual(get(own), { baseUrl: FAKE_URL, token: FAKE_TOKEN, role: 'owner', theme: 'dark' });
  for (const frameUrl of ['http://127.0.0.1:5555.evil.com/', 'http://127.0.0.1:5556/', 'https://evil.example/', 'data:text/html,x', 'file:///x', '']) {
    assert.equal(get({ frameUrl, contentsId: win.webContents.id }), null, frameUrl);
  }
  assert.equal(get({ frameUrl: `${FAKE_URL}/`, contentsId: 424242 }), null, 'a webContents that is not one of our windows');

  const changed = host.messageHandlers.get(CHANNEL_SESSION_CHANGED)!;
  assert.equal(host.item('observe-this').enabled, false, 'no session yet');
  changed({ frameUrl: 'https://evil.example/', contentsId: win.webContents.id }, 'forged', 'owner');
  changed(own, '../../etc', 'owner');
  assert.equal(app.windows.byContents(win.webContents.id)!.target.sessionId, null, 'untrusted or malformed reports are ignored');
  changed(own, 'sess-1', 'owner');
  await settle();
  assert.equal(app.windows.byContents(win.webContents.id)!.target.sessionId, 'sess-1');
  assert.equal(host.item('observe-this').enabled, true);
  assert.deepEqual(get(own), { baseUrl: FAKE_URL, token: FAKE_TOKEN, sessionId: 'sess-1', role: 'owner', theme: 'dark' }, 'a reload re-attaches');
  changed(own, null, 'owner'); // the page's "new session": cleared, so the reload creates one
  assert.equal(get(own) && (get(own) as { sessionId?: string }).sessionId, undefined);

  // An observer window stays an observer whatever its page reports.
  host.item('new-session').click!();
  changed(own, 'sess-1', 'owner');
  host.focus(win);
  host.item('observe-this').click!();
  const observer = host.windows.at(-1)!;
  const observerSender = { frameUrl: `${FAKE_URL}/`, contentsId: observer.webContents.id };
  assert.deepEqual(get(observerSender), { baseUrl: FAKE_URL, token: FAKE_TOKEN, sessionId: 'sess-1', role: 'observer', theme: 'dark' });
  changed(observerSender, 'sess-1', 'owner');
  assert.equal(app.windows.byContents(observer.webContents.id)!.target.role, 'observer');
  assert.equal(observer.title, 'PyREPL3 · observer');
});

test('a second launch focuses the running window (restoring it when minimized)', async () => {
  const { app, host } = harness();
  app.register();
  await app.start();
  const win = host.windows[0]!;
  win.minimized = true;
  for (const l of host.secondInstance) l();
  assert.equal(win.minimized, false);
  assert.equal(win.focused, 1);
  assert.equal(host.windows.length, 1, 'no new window while one exists');
  win.close();
  for (const l of host.secondInstance) l();
  assert.equal(host.live().length, 1, 'with no window left (macOS), a new one opens');
});

test('quit: before-quit is prevented once, the server stops, then the app quits for real', async () => {
  const h = harness();
  h.app.register();
  await h.app.start();
  assert.equal(h.host.fireBeforeQuit(), true, 'the first before-quit waits for the cleanup');
  assert.equal(h.host.fireBeforeQuit(), true, 'pressing quit again meanwhile does not skip it');
  await settle();
  assert.equal(h.stops, 1, 'the server (sessions, pool, runtime file) is stopped once');
  assert.equal(h.host.quits, 1);
  assert.equal(h.app.state, 'done');
  assert.equal(h.host.fireBeforeQuit(), false, 'the quit that follows goes through');
  assert.ok(h.logs.includes('info server closed'));
  const saved = JSON.parse(readFileSync(settingsPath(h.host.userDataDir), 'utf8'));
  assert.deepEqual(saved.window, { x: 100, y: 100, width: 1000, height: 700, maximized: false }, 'the window\'s bounds are remembered');
});

test('quit: a server that does not close in time does not keep the app alive', async () => {
  const h = harness({ quitTimeoutMs: 20 });
  h.app.register();
  await h.app.start();
  h.app.server = { ...h.app.server!, stop: () => new Promise<void>(() => undefined) };
  h.host.fireBeforeQuit();
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(h.host.quits, 1);
  assert.ok(h.logs.some((l) => /did not close within 20 ms/.test(l)));
});

test('quit during start-up waits for the server and stops it', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let stops = 0;
  const { app, host } = harness({
    launch: async () => {
      await gate;
      return { url: FAKE_URL, token: FAKE_TOKEN, runtimeFile: null, stop: async () => void stops++ };
    },
  });
  app.register();
  const starting = app.start();
  await settle();
  host.fireBeforeQuit();
  release();
  await starting;
  await settle();
  assert.equal(stops, 1);
  assert.equal(host.quits, 1);
  assert.equal(host.windows.length, 0, 'no window opens once quitting');
});

test('closing the last window quits, except on macOS; activate reopens there', async () => {
  const linux = harness();
  linux.app.register();
  await linux.app.start();
  linux.host.windows[0]!.close();
  assert.equal(linux.host.quits, 1);
  const mac = harness({ setup: (h) => (h.platform = 'darwin') });
  mac.app.register();
  await mac.app.start();
  mac.host.windows[0]!.close();
  assert.equal(mac.host.quits, 0);
  for (const l of mac.host.activate) l();
  assert.equal(mac.host.live().length, 1);
});

test('no usable Python: the window shows what failed and how to fix it, not a blank page; no server starts', async () => {
  const { app, host, launched, logs } = harness({ env: { PYREPL_PYTHON: '/nope/python3' }, probe: async () => ({ ok: false, reason: 'not found' }) });
  app.register();
  await app.start();
  assert.equal(app.state, 'failed');
  assert.equal(launched.length, 0);
  const url = host.windows[0]!.loaded[0]!;
  assert.match(url, /^data:text\/html/);
  const html = decodeURIComponent(url.slice(url.indexOf(',') + 1));
  assert.match(html, /PyREPL3 needs Python 3\.9 or newer/);
  assert.match(html, /\/nope\/python3 \(from the PYREPL_PYTHON environment variable\) cannot be used: not found/);
  assert.match(html, /set PYREPL_PYTHON/);
  assert.match(html, /logs\/main\.log/);
  assert.match(html, /default-src 'none'/, 'the error page runs no script');
  assert.equal(host.item('new-session').enabled, false);
  assert.notEqual(host.item('choose-python').enabled, false);
  assert.ok(logs.some((l) => l.startsWith('error PyREPL3 needs Python')));
  assert.equal(host.syncHandlers.get(CHANNEL_GET_CONNECTION)!({ frameUrl: url, contentsId: host.windows[0]!.webContents.id }), null);
  host.fireBeforeQuit();
  await settle();
  assert.equal(host.quits, 1, 'quitting works without a server');
});

test('a server that fails to start is shown in the window with its message', async () => {
  const { app, host } = harness({ launch: async () => Promise.reject(new Error('worker_start_failed: <boom> & more')) });
  app.register();
  await app.start();
  const html = decodeURIComponent(host.windows[0]!.loaded[0]!.split(',').slice(1).join(','));
  assert.match(html, /The PyREPL3 server could not start/);
  assert.match(html, /worker_start_failed: &lt;boom&gt; &amp; more/, 'escaped');
});

test('window state and preferences persist across launches; a corrupt settings file is tolerated', async () => {
  const first = harness();
  first.app.register();
  await first.app.start();
  const win = first.host.windows[0]!;
  win.bounds = { x: 300, y: 200, width: 1200, height: 800 };
  win.maximized = true;
  first.host.item('zoom-in').click!();
  first.host.item('theme-light').click!();
  win.close();
  const second = harness({ userDataDir: first.host.userDataDir });
  second.app.register();
  await second.app.start();
  const restored = second.host.windows[0]!;
  assert.deepEqual([restored.options.x, restored.options.y, restored.options.width, restored.options.height], [300, 200, 1200, 800]);
  restored.emit('ready-to-show');
  assert.equal(restored.maximized, true);
  assert.equal(restored.options.webPreferences.zoomFactor, 15 / 14);
  assert.equal(restored.options.backgroundColor, '#fbfbfa');
  assert.equal(second.host.themeSource, 'light');

  const { writeFileSync } = await import('node:fs');
  writeFileSync(settingsPath(first.host.userDataDir), 'garbage{');
  const third = harness({ userDataDir: first.host.userDataDir });
  third.app.register();
  await third.app.start();
  assert.equal(third.host.windows[0]!.options.width, 1000, 'defaults');
  assert.ok(third.logs.some((l) => /not valid JSON/.test(l)));
});

test('theme: a page\'s switch becomes the preference and reaches the other windows; the menu\'s reaches all', async () => {
  const { app, host } = harness();
  app.register();
  await app.start();
  host.item('new-session').click!();
  const [a, b] = host.windows;
  assert.ok(a && b);
  const themeChanged = host.messageHandlers.get(CHANNEL_THEME_CHANGED)!;
  const applied = (w: typeof a) => w.webContents.sent.filter(([channel]) => channel === CHANNEL_APPLY_THEME).map(([, theme]) => theme);

  themeChanged({ frameUrl: 'https://evil.example/', contentsId: a.webContents.id }, 'light');
  themeChanged({ frameUrl: `${FAKE_URL}/`, contentsId: a.webContents.id }, 'neon');
  assert.equal(app.settings.preferences.theme, 'dark', 'untrusted or malformed reports change nothing');

  themeChanged({ frameUrl: `${FAKE_URL}/`, contentsId: a.webContents.id }, 'light');
  assert.equal(app.settings.preferences.theme, 'light');
  assert.equal(host.themeSource, 'light');
  assert.deepEqual(readSettings(host.userDataDir).preferences.theme, 'light', 'saved at once');
  assert.deepEqual(applied(a), [], 'the window that switched has it already');
  assert.deepEqual(applied(b), ['light']);

  host.item('theme-dark').click!();
  assert.deepEqual(applied(a), ['dark']);
  assert.deepEqual(applied(b), ['light', 'dark']);
  assert.equal(app.settings.preferences.theme, 'dark');
});

function readSettings(dir: string): { preferences: { theme: string } } {
  return JSON.parse(readFileSync(settingsPath(dir), 'utf8')) as { preferences: { theme: string } };
}

test('a page that fails to load or crashes shows why, with a way back to its session; never a blank window', async () => {
  const { app, host, logs } = harness();
  app.register();
  await app.start();
  const win = host.windows[0]!;
  const page = (w: typeof win) => decodeURIComponent(w.loaded.at(-1)!.replace(/^data:text\/html;charset=utf-8,/, ''));
  win.webContents.url = `${FAKE_URL}/`;
  for (const l of win.webContents.loadFailed) l('ERR_CONNECTION_REFUSED', `${FAKE_URL}/`);
  assert.match(win.loaded.at(-1)!, /^data:text\/html/);
  assert.match(page(win), /The terminal could not be loaded/);
  assert.match(page(win), /ERR_CONNECTION_REFUSED/);
  assert.ok(page(win).includes(`<a href="${FAKE_URL}/">Try again</a>`));
  assert.ok(logs.some((l) => /could not be loaded/.test(l)));
  // The error page failing in turn is not reported again (no loop).
  win.webContents.url = win.loaded.at(-1)!;
  const count = win.loaded.length;
  for (const l of win.webContents.loadFailed) l('ERR_FAILED', 'data:...');
  assert.equal(win.loaded.length, count);
  // A crashed renderer: the same, in that window only.
  host.item('new-session').click!();
  const other = host.windows.at(-1)!;
  other.webContents.url = `${FAKE_URL}/`;
  for (const l of other.webContents.gone) l('crashed');
  assert.match(page(other), /The terminal stopped/);
  assert.match(page(other), /crashed/);
});
