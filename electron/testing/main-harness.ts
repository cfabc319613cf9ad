/**
 * Loads the compiled electron/main.js over the fake electron module and drives it through start-up and quit,
 * printing one JSON line of what happened (main.test.ts runs this in a child process: the hook and main's
 * top-level code are per process).
 */
import { register } from 'node:module';
import { existsSync, readdirSync } from 'node:fs';

register('./electron-hooks.mjs', import.meta.url);
const fake = await import('electron' as string) as typeof import('./fake-electron.js');
await import(new URL('../../dist/electron/main.js', import.meta.url).href);

const wait = async (check: () => boolean, what: string, ms = 20_000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

fake.app.makeReady();
await wait(() => fake.BrowserWindow.all[0]?.loaded.length === 1, 'the first window');
const win = fake.BrowserWindow.all[0]!;
const url = win.loaded[0]!;

// The preload's sendSync, from the window's own frame and from elsewhere.
const ask = (frameUrl: string, sender = win.webContents) => {
  const event = { sender, senderFrame: { url: frameUrl }, returnValue: undefined as unknown };
  fake.ipcMain.emit('pyrepl:get-connection', event);
  return event.returnValue as { baseUrl: string; token: string; role: string } | null;
};
const connection = ask(url)!;
const foreign = ask('https://evil.example/');
const sessions = await fetch(`${connection.baseUrl}/sessions`, { headers: { authorization: `Bearer ${connection.token}` } });

// Policies through the adapter: navigation, window.open, permissions.
let navPrevented = false;
win.webContents.emit('will-frame-navigate', { url: 'http://127.0.0.1:1@evil/', isMainFrame: true, preventDefault: () => (navPrevented = true) });
let samePrevented = false;
win.webContents.emit('will-frame-navigate', { url: `${connection.baseUrl}/docs`, isMainFrame: true, preventDefault: () => (samePrevented = true) });
const openAnswer = win.webContents.openHandler!({ url: 'javascript:alert(1)' } as never);
let granted: boolean | null = null;
fake.record.permissionRequest!({} as never, 'media' as never, ((ok: boolean) => (granted = ok)) as never, { requestingUrl: url } as never);

const stateDir = process.env.PYREPL_STATE_DIR!;
const runtimeFilesBefore = readdirSync(stateDir).length;
fake.app.quit(); // before-quit: prevented once, cleanup, then app.quit() again
await wait(() => fake.record.quits >= 2, 'the second quit');
const health = await fetch(`${connection.baseUrl}/health`).then(() => 'up', () => 'down');

console.log(JSON.stringify({
  url,
  webPreferences: win.options.webPreferences,
  connection: { ...connection, token: connection.token.length },
  foreign,
  sessionsStatus: sessions.status,
  navPrevented,
  samePrevented,
  openAnswer,
  granted,
  menuTop: (fake.record.menus.at(-1) as { label?: string; role?: string }[]).map((m) => m.label ?? m.role),
  runtimeFilesBefore,
  runtimeFilesAfter: readdirSync(stateDir).length,
  health,
  userData: fake.record.paths.userData,
  settingsSaved: existsSync(`${fake.record.paths.userData}/settings.json`),
  logsDir: fake.record.paths.logs,
  exits: fake.record.exits,
}));
process.exit(0);
