/**
 * What the menu items do. Session commands go through the public REST API with the app's token (POST
 * /sessions/{id}/interrupt, /restart, DELETE /sessions/{id}), like any other client; windows attach and observe
 * through the renderer; destructive commands ask first.
 */
import type { MenuActions, SessionEntry } from './menu-template.js';
import { connectionInfoText } from './server-launch.js';
import { BASE_FONT_SIZE, clampFontSize } from './settings.js';
import type { ShellApp } from './shell-app.js';

/** One step of View → Zoom, in font points. */
export const FONT_SIZE_STEP = 1;

/** The REST calls the menu makes (client/'s PyreplClient has them; tests pass a fake). */
export interface SessionsApi {
  listSessions(): Promise<SessionEntry[]>;
  interrupt(sessionId: string): Promise<unknown>;
  restart(sessionId: string): Promise<unknown>;
  closeSession(sessionId: string): Promise<unknown>;
}

export function menuActions(app: ShellApp, api: () => SessionsApi | null): MenuActions {
  const { host } = app.deps;
  const current = () => app.windows.current();
  const focusedSession = () => current()?.target.sessionId ?? null;
  const report = (what: string) => (err: unknown) => {
    app.deps.log.warn(`${what} failed: ${(err as Error).message}`);
    void host.showMessageBox(current()?.window ?? null, {
      type: 'error',
      message: `${what} failed`,
      detail: (err as Error).message,
      buttons: ['OK'],
      defaultId: 0,
      cancelId: 0,
    });
  };
  const confirm = async (message: string, detail: string, action: string): Promise<boolean> =>
    (await host.showMessageBox(current()?.window ?? null, { type: 'question', message, detail, buttons: [action, 'Cancel'], defaultId: 0, cancelId: 1 })) === 0;
  const askRelaunch = async (detail: string) => {
    if (await confirm('Restart PyREPL3 to use it?', detail, 'Restart Now')) {
      host.relaunch();
      host.quit();
    }
  };
  const withApi = (what: string, call: (a: SessionsApi) => Promise<unknown>) => {
    const a = api();
    if (!a) return;
    void call(a)
      .then(() => app.refreshSessions())
      .catch(report(what));
  };
  return {
    newSessionWindow: () => app.openWindow({ sessionId: null, role: 'owner' }),
    observeFocused: () => {
      const id = focusedSession();
      if (id) app.openWindow({ sessionId: id, role: 'observer' });
    },
    attach: (id) => app.openWindow({ sessionId: id, role: 'owner' }),
    observe: (id) => app.openWindow({ sessionId: id, role: 'observer' }),
    closeSession: (id) =>
      void confirm(`Close session ${id.slice(0, 8)}?`, 'Its Python process ends and its variables are lost. Windows showing it stay open, disconnected.', 'Close Session').then(
        (ok) => ok && withApi('Closing the session', (a) => a.closeSession(id)),
      ),
    copyConnectionInfo: () => {
      if (app.server) host.writeClipboard(connectionInfoText(app.server));
    },
    interruptFocused: () => {
      const id = focusedSession();
      if (id && current()?.target.role === 'owner') withApi('Interrupting', (a) => a.interrupt(id));
    },
    restartFocused: () => {
      const id = focusedSession();
      if (!id || current()?.target.role !== 'owner') return;
      void confirm('Restart this session?', 'Its Python process is replaced: every variable and import is lost.', 'Restart').then(
        (ok) => ok && withApi('Restarting the session', (a) => a.restart(id)),
      );
    },
    setTheme: (theme) => app.setTheme(theme),
    choosePython: () =>
      void (async () => {
        const path = await host.showOpenFile(current()?.window ?? null, 'Choose a Python 3.9+ interpreter');
        if (!path) return;
        const probed = await app.deps.probe(path);
        if (!probed.ok) return report('Using that interpreter')(new Error(`${path}: ${probed.reason}`));
        app.updateSettings({ preferences: { ...app.settings.preferences, pythonPath: path } });
        app.refreshMenu();
        await askRelaunch(`Python ${probed.version} at ${path} is used from the next start (unless the app bundles one or PYREPL_PYTHON is set).`);
      })(),
    useDefaultPython: () => {
      app.updateSettings({ preferences: { ...app.settings.preferences, pythonPath: null } });
      app.refreshMenu();
      void askRelaunch('The default interpreter is used from the next start.');
    },
    zoom: (direction) => {
      const now = app.settings.preferences.fontSize;
      const fontSize = direction === 'reset' ? BASE_FONT_SIZE : clampFontSize(now + (direction === 'in' ? FONT_SIZE_STEP : -FONT_SIZE_STEP));
      app.updateSettings({ preferences: { ...app.settings.preferences, fontSize } });
      app.windows.applyZoom(fontSize);
    },
    openApiDocs: () => {
      if (app.server) void host.openExternal(`${app.server.url}/docs`).catch(() => undefined);
    },
  };
}
