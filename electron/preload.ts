/**
 * The window's preload (sandboxed, so bundled to CommonJS: dist/electron/preload.cjs). It asks main for this
 * window's connection and exposes it to the page as window.pyreplConnection (read by
 * renderer/connection-spec.ts), plus window.pyreplShell.sessionChanged so main knows which session the window
 * shows. Nothing else crosses: no ipcRenderer, no Node.
 */
import { contextBridge, ipcRenderer } from 'electron';
import {
  CHANNEL_APPLY_THEME,
  CHANNEL_GET_CONNECTION,
  CHANNEL_SESSION_CHANGED,
  CHANNEL_THEME_CHANGED,
  type HandedConnection,
} from './shell/connection-handoff.js';

/** renderer/theme.ts's storage key: seeding it applies the theme preference before the page's first paint. */
const THEME_KEY = 'pyrepl.theme';

// Synchronous on purpose: the page reads the connection in its first script, before an async answer could arrive.
const connection = ipcRenderer.sendSync(CHANNEL_GET_CONNECTION) as HandedConnection | null;

if (connection) {
  try {
    // The preload is compiled without DOM types (it runs no page code); only this one call needs them.
    (globalThis as { localStorage?: { setItem(key: string, value: string): void } }).localStorage?.setItem(THEME_KEY, connection.theme);
  } catch {
    /* storage unavailable: the page's own default applies */
  }
  contextBridge.exposeInMainWorld('pyreplConnection', {
    baseUrl: connection.baseUrl,
    token: connection.token,
    sessionId: connection.sessionId,
    role: connection.role,
  });
  contextBridge.exposeInMainWorld('pyreplShell', {
    sessionChanged: (sessionId: unknown, role: unknown) => ipcRenderer.send(CHANNEL_SESSION_CHANGED, sessionId, role),
    themeChanged: (theme: unknown) => ipcRenderer.send(CHANNEL_THEME_CHANGED, theme),
    // Only the theme string reaches the page, never the IPC event (whose sender object would leak ipcRenderer).
    onTheme: (listener: unknown) => {
      if (typeof listener !== 'function') return;
      ipcRenderer.on(CHANNEL_APPLY_THEME, (_event, theme: unknown) => {
        if (theme === 'dark' || theme === 'light') (listener as (theme: string) => void)(theme);
      });
    },
  });
}
