import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMenuTemplate, type MenuActions, type MenuItemTemplate, type MenuState } from './menu-template.js';

function recorder() {
  const calls: string[] = [];
  const actions = new Proxy({} as MenuActions, {
    get: (_t, name: string) => (...args: unknown[]) => calls.push([name, ...args].join(':')),
  });
  return { calls, actions };
}

const base: MenuState = {
  platform: 'linux',
  isPackaged: true,
  appName: 'PyREPL3',
  serverRunning: true,
  focused: { sessionId: 'aaaaaaaa-1111', role: 'owner' },
  sessions: [
    { session_id: 'aaaaaaaa-1111', state: 'idle', execution_count: 1, clients: { owners: 1, observers: 0 } },
    { session_id: 'bbbbbbbb-2222', state: 'busy', execution_count: 3, clients: { owners: 0, observers: 2 } },
  ],
  theme: 'dark',
  pythonPath: null,
};

function find(items: MenuItemTemplate[], pred: (i: MenuItemTemplate) => boolean): MenuItemTemplate | undefined {
  for (const i of items) {
    if (pred(i)) return i;
    const inner = i.submenu && find(i.submenu, pred);
    if (inner) return inner;
  }
  return undefined;
}
const byId = (items: MenuItemTemplate[], id: string) => find(items, (i) => i.id === id)!;
const labels = (items: MenuItemTemplate[]) => items.map((i) => i.label ?? i.role ?? i.type);

test('top level: File, Edit, View, Session, Window, Help (macOS adds the app menu first)', () => {
  const { actions } = recorder();
  assert.deepEqual(labels(buildMenuTemplate(base, actions)), ['&File', '&Edit', '&View', '&Session', 'windowMenu', '&Help']);
  assert.deepEqual(labels(buildMenuTemplate({ ...base, platform: 'darwin' }, actions)), ['PyREPL3', 'File', 'Edit', 'View', 'Session', 'windowMenu', 'Help']);
  const file = buildMenuTemplate(base, actions)[0]!.submenu!;
  assert.ok(file.some((i) => i.role === 'quit'), 'Quit in File on Linux/Windows');
  assert.ok(!buildMenuTemplate({ ...base, platform: 'darwin' }, actions)[1]!.submenu!.some((i) => i.role === 'quit'), 'macOS quits from the app menu');
});

test('Edit has the standard roles; their keys stay with the terminal except on macOS', () => {
  const { actions } = recorder();
  const edit = buildMenuTemplate(base, actions)[1]!.submenu!.filter((i) => i.role);
  assert.deepEqual(edit.map((i) => i.role), ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
  assert.ok(edit.every((i) => i.registerAccelerator === false), 'Ctrl+C must reach the terminal (interrupt)');
  const macEdit = buildMenuTemplate({ ...base, platform: 'darwin' }, actions)[2]!.submenu!.filter((i) => i.role);
  assert.ok(macEdit.every((i) => i.registerAccelerator === undefined));
});

test('View: zoom, full screen, and developer tools only in development builds', () => {
  const { actions, calls } = recorder();
  const packaged = buildMenuTemplate(base, actions);
  assert.equal(find(packaged, (i) => i.role === 'toggleDevTools'), undefined);
  assert.ok(find(packaged, (i) => i.role === 'togglefullscreen'));
  assert.ok(find(buildMenuTemplate({ ...base, isPackaged: false }, actions), (i) => i.role === 'toggleDevTools'));
  assert.equal(byId(packaged, 'zoom-in').accelerator, 'CmdOrCtrl+=');
  byId(packaged, 'zoom-in').click!();
  byId(packaged, 'zoom-out').click!();
  byId(packaged, 'zoom-reset').click!();
  assert.deepEqual(calls, ['zoom:in', 'zoom:out', 'zoom:reset']);
});

test('window and session commands call their actions; Sessions lists each with attach / observe / close', () => {
  const { actions, calls } = recorder();
  const menu = buildMenuTemplate(base, actions);
  assert.equal(byId(menu, 'new-session').accelerator, 'CmdOrCtrl+N');
  for (const id of ['new-session', 'observe-this', 'copy-connection', 'interrupt', 'restart', 'api-docs', 'choose-python']) byId(menu, id).click!();
  const sessions = byId(menu, 'sessions').submenu!;
  assert.equal(sessions.length, 2);
  assert.equal(sessions[0]!.label, 'aaaaaaaa (this window) — idle, 1 run, 1+0 attached');
  assert.equal(sessions[1]!.label, 'bbbbbbbb — busy, 3 runs, 0+2 attached');
  byId(menu, 'attach-bbbbbbbb-2222').click!();
  byId(menu, 'observe-bbbbbbbb-2222').click!();
  byId(menu, 'close-bbbbbbbb-2222').click!();
  byId(menu, 'theme-light').click!();
  assert.deepEqual(calls, [
    'newSessionWindow', 'observeFocused', 'copyConnectionInfo', 'interruptFocused', 'restartFocused', 'openApiDocs', 'choosePython',
    'attach:bbbbbbbb-2222', 'observe:bbbbbbbb-2222', 'closeSession:bbbbbbbb-2222', 'setTheme:light',
  ]);
  assert.equal(byId(menu, 'interrupt').accelerator, undefined, 'no accelerator: Ctrl+C in the terminal interrupts');
});

test('enabled states follow the focused window, its role and the server', () => {
  const { actions } = recorder();
  const observer = buildMenuTemplate({ ...base, focused: { sessionId: 'bbbbbbbb-2222', role: 'observer' } }, actions);
  assert.equal(byId(observer, 'interrupt').enabled, false, 'an observer is read-only');
  assert.equal(byId(observer, 'restart').enabled, false);
  assert.equal(byId(observer, 'observe-this').enabled, true);
  const none = buildMenuTemplate({ ...base, focused: null, sessions: [] }, actions);
  assert.equal(byId(none, 'observe-this').enabled, false);
  assert.equal(byId(none, 'interrupt').enabled, false);
  assert.deepEqual(byId(none, 'sessions').submenu!.map((i) => [i.label, i.enabled]), [['No open sessions', false]]);
  const failed = buildMenuTemplate({ ...base, serverRunning: false }, actions);
  for (const id of ['new-session', 'observe-this', 'copy-connection', 'interrupt', 'restart', 'sessions', 'api-docs']) assert.equal(byId(failed, id).enabled, false, id);
  assert.notEqual(byId(failed, 'choose-python').enabled, false, 'Python can be chosen when it is what failed');
});

test('preferences show the current theme and interpreter', () => {
  const { actions } = recorder();
  const menu = buildMenuTemplate({ ...base, theme: 'light', pythonPath: '/opt/py/bin/python3' }, actions);
  assert.equal(byId(menu, 'theme-light').checked, true);
  assert.equal(byId(menu, 'theme-dark').checked, false);
  assert.equal(byId(menu, 'default-python').enabled, true);
  assert.match(byId(menu, 'default-python').label!, /\/opt\/py\/bin\/python3/);
  assert.equal(byId(buildMenuTemplate(base, actions), 'default-python').enabled, false);
});

test('the template is a pure function of the state (same state, same menu)', () => {
  const { actions } = recorder();
  assert.equal(JSON.stringify(buildMenuTemplate(base, actions)), JSON.stringify(buildMenuTemplate(structuredClone(base), actions)));
});
