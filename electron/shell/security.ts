/**
 * The window policies: webPreferences, where a window may navigate, what window.open does, which permissions a page
 * gets. A window only ever shows the server's own pages, so every check compares URL *origins* (scheme, host, port as
 * the URL parser sees them), never string prefixes: `http://127.0.0.1:8123.evil.com` and `http://127.0.0.1:8123@evil`
 * start with the server's URL and are other hosts.
 */
import type { ContentsLike, SecureWebPreferences, WindowOpenAnswer } from './host.js';
import { parseAppFragment, type WindowTarget } from './window-target.js';

/** Schemes handed to the system browser. file:, javascript:, data: and custom schemes never leave the app. */
export const EXTERNAL_SCHEMES: ReadonlySet<string> = new Set(['https:', 'http:']);

/**
 * The one permission granted, and only to the server's origin: sanitized clipboard *writes*, which the terminal's
 * Ctrl+Shift+C copy uses (navigator.clipboard.writeText). Reading the clipboard and everything else stay denied.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function secureWebPreferences(preload: string, zoomFactor = 1): SecureWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false, // a file dropped on the window must not replace the terminal
    spellcheck: false, // code, not prose (and no dictionary download)
    zoomFactor,
  };
}

/** The origin of a URL, or null when it does not parse or has none (data:, about:blank → "null"). */
export function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

export function isSameOrigin(url: string, serverOrigin: string): boolean {
  const origin = originOf(url);
  return origin !== null && origin === originOf(serverOrigin);
}

/** Whether a link may be opened in the system browser. */
export function isExternalUrlAllowed(url: string): boolean {
  try {
    const parsed = new URL(url);
    return EXTERNAL_SCHEMES.has(parsed.protocol) && parsed.hostname !== '';
  } catch {
    return false;
  }
}

export type OpenDecision = { kind: 'app-window'; target: WindowTarget } | { kind: 'external'; url: string } | { kind: 'deny' };

/**
 * What a window.open (or a link with target=_blank) becomes: the page's own popup is always denied; a link to the
 * server's page with a session fragment (the terminal's Sessions dialog) opens one of our windows instead, other
 * http(s) links open in the system browser, anything else is dropped.
 */
export function decideWindowOpen(url: string, serverOrigin: string): OpenDecision {
  if (isSameOrigin(url, serverOrigin)) {
    const target = parseAppFragment(new URL(url).hash);
    return target ? { kind: 'app-window', target } : { kind: 'deny' };
  }
  if (isExternalUrlAllowed(url)) return { kind: 'external', url };
  return { kind: 'deny' };
}

export function decidePermission(permission: string, requestingOrigin: string, serverOrigin: string | null): boolean {
  return serverOrigin !== null && ALLOWED_PERMISSIONS.has(permission) && isSameOrigin(requestingOrigin, serverOrigin);
}

export interface HardenActions {
  /** The server's origin now; null before it runs (then every navigation is refused). */
  serverOrigin(): string | null;
  openExternal(url: string): void;
  openAppWindow(target: WindowTarget): void;
}

/**
 * Applies the navigation and popup policy to a webContents. Main's own loadURL (the renderer, the error page) does
 * not go through will-navigate; everything a page starts does.
 */
export function hardenContents(contents: ContentsLike, actions: HardenActions): void {
  contents.onNavigate((url, prevent, userLink) => {
    const origin = actions.serverOrigin();
    if (origin !== null && isSameOrigin(url, origin)) return;
    prevent();
    // A plain link click (no target) to the web still goes to the browser, as it would with target=_blank.
    if (userLink && isExternalUrlAllowed(url)) actions.openExternal(url);
  });
  contents.setWindowOpenHandler((url): WindowOpenAnswer => {
    const origin = actions.serverOrigin();
    const decision = origin === null ? (isExternalUrlAllowed(url) ? { kind: 'external' as const, url } : { kind: 'deny' as const }) : decideWindowOpen(url, origin);
    if (decision.kind === 'app-window') actions.openAppWindow(decision.target);
    else if (decision.kind === 'external') actions.openExternal(decision.url);
    return { action: 'deny' };
  });
  contents.onWillAttachWebview((prevent) => prevent());
}
