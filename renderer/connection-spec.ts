/**
 * Where this page's session comes from: window.pyreplConnection (set by the desktop app's preload), else the URL
 * fragment (#token=…&session=ID&role=observer, never a query: fragments are not sent to servers or logged), else the
 * session this tab had before a reload (sessionStorage; never the token). The fragment is removed from the address
 * bar as soon as it is read, so the token does not linger in history or get shared with a copied URL.
 */
import type { Role } from '../protocol/api-messages.js';

export interface ConnectionSpec {
  baseUrl: string;
  token?: string;
  /** Attach to this session; none: create one. */
  sessionId?: string;
  role: Role;
}

declare global {
  interface Window {
    /** Injected by the Electron preload. */
    pyreplConnection?: Partial<ConnectionSpec>;
    /** Injected by the Electron preload: the desktop app's side of this window. */
    pyreplShell?: {
      /** Which session this window shows (the app's menus act on it). */
      sessionChanged(sessionId: string | null, role: Role): void;
      /** The user switched the theme here: the app keeps it as the preference and tells its other windows. */
      themeChanged?(theme: 'dark' | 'light'): void;
      /** The app's theme preference changed elsewhere (View menu, another window). */
      onTheme?(listener: (theme: 'dark' | 'light') => void): void;
    };
  }
}

const TAB_SESSION_KEY = 'pyrepl.tab-session';

export function fragmentFor(sessionId: string | null, role: Role): string {
  const params = new URLSearchParams();
  if (sessionId) params.set('session', sessionId);
  else params.set('new', '1');
  if (role === 'observer') params.set('role', 'observer');
  return `#${params.toString()}`;
}

export function readConnectionSpec(win: Window): ConnectionSpec {
  const injected = win.pyreplConnection ?? null;
  const hash = win.location.hash.replace(/^#/, '');
  if (hash) win.history.replaceState(null, '', win.location.pathname + win.location.search);
  const fragment = new URLSearchParams(hash);
  let stored: { sessionId?: string; role?: Role } = {};
  try {
    stored = JSON.parse(win.sessionStorage.getItem(TAB_SESSION_KEY) ?? '{}') as typeof stored;
  } catch {
    /* no sessionStorage (sandboxed) or garbage: start fresh */
  }
  let source: Partial<ConnectionSpec> = stored;
  if (injected) source = injected;
  else if (hash) source = { token: fragment.get('token') ?? undefined, sessionId: fragment.get('session') ?? undefined, role: fragment.get('role') === 'observer' ? 'observer' : 'owner' };
  return {
    baseUrl: (injected?.baseUrl ?? win.location.origin).replace(/\/+$/, ''),
    token: source.token || undefined,
    sessionId: source.sessionId || undefined,
    role: source.role === 'observer' ? 'observer' : 'owner',
  };
}

/** Remembers this tab's session so a reload comes back to it (the token stays in the HttpOnly cookie only). */
export function rememberTabSession(win: Window, sessionId: string | null, role: Role): void {
  try {
    win.pyreplShell?.sessionChanged(sessionId, role); // the desktop app's menus act on this window's session
  } catch {
    /* the bridge is gone (window closing): nothing to tell */
  }
  try {
    if (sessionId) win.sessionStorage.setItem(TAB_SESSION_KEY, JSON.stringify({ sessionId, role }));
    else win.sessionStorage.removeItem(TAB_SESSION_KEY);
  } catch {
    /* sessionStorage unavailable: a reload starts a new session */
  }
}

/**
 * Trades the token for the server's HttpOnly auth cookie (POST /auth), so the page holds no secret afterwards and
 * every later request and the WebSocket upgrade carry the cookie. True when the cookie is set.
 */
export async function authenticate(baseUrl: string, token: string): Promise<boolean> {
  const response = await fetch(`${baseUrl}/auth`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token }),
    credentials: 'same-origin',
  });
  return response.ok;
}
