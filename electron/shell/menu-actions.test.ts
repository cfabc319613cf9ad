import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CHANNEL_SESSION_CHANGED } from './connection-handoff.js';
import { settingsPath } from './settings.js';
import { FAKE_TOKEN, FAKE_URL, harness, settle, type Harness } from './testing/harness.js';

async function running(overrides: Parameters<typeof harness>[0] = {}): Promise<Harness> {
  const h = harness(overrides);
  h.sessions = [
    { session_id: 'sess-1', state: 'idle', execution_count: 2, clients: { owners: 1, observers: 0 } },
    { session_id: 'sess-2', state: 'busy', execution_count: 0, clients: { owners: 0, observers: 0 } },
  ];
  h.app.register();
  await h.app.start();
  const win = h.host.windows[0]!;
  h.host.messageHandlers.get(CHANNEL_SESSION_CHANGED)!({ frameUrl: `${FAKE_URL}/`, contentsId: win.webContents.id }, 'sess-1', 'owner');
  h.host.focus(win);
  await settle();
  return h;
}

test('Interrupt and Restart act on the focused window\'s session through the REST API; Restart asks first', async () => {
  const h = await running();
  h.host.item('interrupt').click!();
  await settle();
  assert.deepEqual(h.calls, ['interrupt sess-1']);
  h.host.boxAnswer = 1; // Cancel
  h.host.item('restart').click!();
  await settle();
  assert.deepEqual(h.calls, ['interrupt sess-1'], 'cancelled: nothing restarted');
  assert.match(h.host.boxes.at(-1)!.detail!, /every variable and import is lost/);
  h.host.boxAnswer = 0;
  h.host.item('restart').click!();
  await settle();
  assert.deepEqual(h.calls, ['interrupt sess-1', 'restart sess-1']);
});

test('an observer window cannot interrupt or restart (read-only), even by calling the action', async () => {
  const h = await running();
  h.host.item('observe-this').click!();
  const observer = h.host.windows.at(-1)!;
  h.host.focus(observer);
  assert.equal(h.host.item('interrupt').enabled, false);
  h.host.item('interrupt').click!();
  h.host.item('restart').click!();
  await settle();
  assert.deepEqual(h.calls, []);
});

test('Sessions: lists the server\'s sessions; attach, observe and close (after asking)', async () => {
  const h = await running();
  const labels = h.host.item('sessions').submenu!.map((i) => i.label);
  assert.deepEqual(labels, ['sess-1 (this window) — idle, 2 runs, 1+0 attached', 'sess-2 — busy, 0 runs, 0+0 attached']);
  h.host.item('attach-sess-2').click!();
  h.host.item('observe-sess-2').click!();
  const [, attached, observing] = h.host.windows;
  assert.deepEqual(h.app.windows.byContents(attached!.webContents.id)!.target, { sessionId: 'sess-2', role: 'owner' });
  assert.deepEqual(h.app.windows.byContents(observing!.webContents.id)!.target, { sessionId: 'sess-2', role: 'observer' });
  assert.deepEqual(observing!.loaded, [`${FAKE_URL}/`]);
  h.host.item('close-sess-2').click!();
  await settle();
  assert.deepEqual(h.calls, ['close sess-2']);
  // A session closed elsewhere (a script) disappears at the next poll.
  h.sessions = h.sessions.slice(0, 1);
  await h.app.refreshSessions();
  assert.equal(h.host.item('sessions').submenu!.length, 1);
});

test('a failing REST call is shown in a dialog, not swallowed', async () => {
  const h = await running({
    api: () => ({
      listSessions: async () => [],
      interrupt: async () => Promise.reject(new Error('session_not_found: no such session')),
      restart: async () => undefined,
      closeSession: async () => undefined,
    }),
  });
  h.host.item('interrupt').click!();
  await settle();
  const box = h.host.boxes.at(-1)!;
  assert.equal(box.type, 'error');
  assert.match(box.detail!, /session_not_found/);
});

test('Copy Connection Info: URL, token and what the token grants', async () => {
  const h = await running();
  h.host.item('copy-connection').click!();
  const text = h.host.clipboard[0]!;
  assert.match(text, new RegExp(`PyREPL3 API: ${FAKE_URL}`));
  assert.match(text, new RegExp(`Token: ${FAKE_TOKEN}`));
  assert.match(text, /Authorization: Bearer/);
  assert.match(text, /full control of this app's Python sessions/);
  assert.match(text, /run any code as you/);
  assert.match(text, /until the app quits/);
});

test('zoom is the font-size preference: applied to every window and remembered', async () => {
  const h = await running();
  h.host.item('new-session').click!();
  h.host.item('zoom-in').click!();
  h.host.item('zoom-in').click!();
  for (const w of h.host.windows) assert.equal(w.webContents.zoom, 16 / 14);
  h.host.item('zoom-out').click!();
  assert.equal(JSON.parse(readFileSync(settingsPath(h.host.userDataDir), 'utf8')).preferences.fontSize, 15);
  h.host.item('zoom-reset').click!();
  for (const w of h.host.windows) assert.equal(w.webContents.zoom, 1);
  // Chromium would restore its own per-origin zoom on load: the preference is applied again.
  h.host.windows[0]!.webContents.zoom = 3;
  for (const l of h.host.windows[0]!.webContents.finishLoad) l();
  assert.equal(h.host.windows[0]!.webContents.zoom, 1);
});

test('Python Interpreter…: a working choice is saved and offers a restart; a broken one is refused', async () => {
  const probed: string[] = [];
  const h = await running({
    probe: async (p) => (probed.push(p), p === '/bad/python' ? { ok: false, reason: 'not found' } : { ok: true, version: '3.13.0' }),
  });
  h.host.openFileAnswer = '/bad/python';
  h.host.item('choose-python').click!();
  await settle();
  assert.match(h.host.boxes.at(-1)!.detail!, /\/bad\/python: not found/);
  assert.equal(h.app.settings.preferences.pythonPath, null);
  h.host.openFileAnswer = '/opt/py/bin/python3';
  h.host.boxAnswer = 0; // Restart Now
  h.host.item('choose-python').click!();
  await settle();
  assert.equal(h.app.settings.preferences.pythonPath, '/opt/py/bin/python3');
  assert.equal(h.host.relaunches, 1);
  assert.ok(h.host.quits >= 1);
  assert.match(h.host.item('default-python').label!, /\/opt\/py\/bin\/python3/);
  h.host.boxAnswer = 1; // Later
  h.host.item('default-python').click!();
  await settle();
  assert.equal(h.app.settings.preferences.pythonPath, null);
  assert.equal(h.host.relaunches, 1);
  h.host.openFileAnswer = null; // cancelled picker: nothing happens
  h.host.item('choose-python').click!();
  await settle();
  assert.deepEqual(probed.slice(1), ['/bad/python', '/opt/py/bin/python3']);
});

test('the next launch uses the interpreter from Preferences when nothing ranks above it', async () => {
  const first = await running();
  first.app.updateSettings({ preferences: { ...first.app.settings.preferences, pythonPath: '/opt/py/bin/python3' } });
  const probed: string[] = [];
  const next = harness({ userDataDir: first.host.userDataDir, probe: async (p) => (probed.push(p), { ok: true, version: '3.13.0' }) });
  next.app.register();
  await next.app.start();
  assert.deepEqual(probed, ['/opt/py/bin/python3']);
  assert.deepEqual(next.launched, [{ python: '/opt/py/bin/python3', runtimeDir: undefined }]);
});

test('the menu is only replaced when what it shows changes (replacing closes an open menu)', async () => {
  const h = await running();
  const before = h.host.menus.length;
  await h.app.refreshSessions();
  await h.app.refreshSessions();
  assert.equal(h.host.menus.length, before);
  h.sessions = [...h.sessions, { session_id: 'sess-3', state: 'idle', execution_count: 0, clients: { owners: 0, observers: 0 } }];
  await h.app.refreshSessions();
  assert.equal(h.host.menus.length, before + 1);
});

test('API Documentation opens in the system browser', async () => {
  const h = await running();
  h.host.item('api-docs').click!();
  await settle();
  assert.deepEqual(h.host.external, [`${FAKE_URL}/docs`]);
});
