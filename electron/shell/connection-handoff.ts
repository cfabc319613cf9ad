/**
 * How a window gets its connection and tells main which session it shows. The preload asks over IPC (sendSync, so
 * the page has it before its first script runs) and exposes it with contextBridge; main answers only its own
 * windows showing the server's origin, so no other page (a navigated-away frame, an iframe from elsewhere) ever
 * receives the token.
 */
import type { IpcSender } from './host.js';
import { isSameOrigin } from './security.js';
import type { Role, WindowTarget } from './window-target.js';

/** The IPC channels (the preload uses the same strings). */
export const CHANNEL_GET_CONNECTION = 'pyrepl:get-connection';
export const CHANNEL_SESSION_CHANGED = 'pyrepl:session-changed';
/** Page → main: the user switched the theme in the page (Ctrl+Shift+L); main keeps it as the preference. */
export const CHANNEL_THEME_CHANGED = 'pyrepl:theme-changed';
/** Main → page: the theme preference changed (the View menu, or another window): apply it now, not at reload. */
export const CHANNEL_APPLY_THEME = 'pyrepl:apply-theme';

/** What the preload exposes as window.pyreplConnection (renderer/connection-spec.ts reads it). */
export interface HandedConnection {
  baseUrl: string;
  token: string;
  sessionId?: string;
  role: Role;
  /** The theme preference, seeded into the page's storage before it loads. */
  theme: 'dark' | 'light';
}

/** Whether an IPC message comes from a window of ours showing the server's page. */
export function isTrustedSender(sender: IpcSender, serverOrigin: string | null, ownContents: ReadonlySet<number>): boolean {
  return serverOrigin !== null && ownContents.has(sender.contentsId) && isSameOrigin(sender.frameUrl, serverOrigin);
}

export function connectionFor(server: { url: string; token: string }, target: WindowTarget, theme: 'dark' | 'light'): HandedConnection {
  return {
    baseUrl: server.url,
    token: server.token,
    ...(target.sessionId ? { sessionId: target.sessionId } : {}),
    role: target.role,
    theme,
  };
}

/** Validates the page's "theme changed" message: ('dark' | 'light'). Null when malformed. */
export function parseThemeChanged(args: unknown[]): 'dark' | 'light' | null {
  const [theme] = args;
  return theme === 'dark' || theme === 'light' ? theme : null;
}

/** Validates the page's "session changed" message: (sessionId | null, role). Null when malformed. */
export function parseSessionChanged(args: unknown[]): WindowTarget | null {
  const [sessionId, role] = args;
  if (sessionId !== null && (typeof sessionId !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(sessionId))) return null;
  if (role !== 'owner' && role !== 'observer') return null;
  return { sessionId, role };
}
