/**
 * The terminal page: wires the connection, the REPL controller, the terminal and the page's chrome together.
 * Everything it needs comes from the public API (docs/api.md) through the typed client.
 */
import { isPyreplApiError, PyreplClient } from '../client/index.js';
import { askForToken } from './auth-panel.js';
import { Connection, type LinkState } from './connection.js';
import { authenticate, readConnectionSpec, rememberTabSession, type ConnectionSpec } from './connection-spec.js';
import { History, historyKey } from './history.js';
import { OutputWriter } from './output-writer.js';
import { ReplController } from './repl-controller.js';
import { SearchBar } from './search-bar.js';
import { SessionEvents } from './session-events.js';
import { SessionMenu } from './session-menu.js';
import { StatusBar } from './status-bar.js';
import { createTerminal } from './terminal-view.js';
import { applyTheme, initialTheme, type ThemeName } from './theme.js';
import { noticeText } from './transcript.js';
import { stringWidth } from './unicode-width.js';
import { exposeDebugHooks } from './debug-hooks.js';

const $ = (id: string) => document.getElementById(id)!;

async function main(): Promise<void> {
  const spec = readConnectionSpec(window);
  let theme: ThemeName = initialTheme();
  document.documentElement.dataset.theme = theme;
  document.body.dataset.role = spec.role;

  const view = createTerminal($('terminal'), theme, {
    sessionMenu: () => void menu.show(),
    find: () => searchBar.show(),
    toggleTheme: () => toggleTheme(),
  });
  const { term } = view;
  const toggleTheme = () => {
    applyTheme(term, (theme = theme === 'dark' ? 'light' : 'dark'));
    shellCall(() => window.pyreplShell?.themeChanged?.(theme));
  };
  applyTheme(term, theme);
  shellCall(() => window.pyreplShell?.onTheme?.((next) => applyTheme(term, (theme = next))));
  // `connection` is created below; output, and so a backlog, only arrives once it exists.
  const writer = new OutputWriter(term, stringWidth, { onBacklog: (full) => connection.setFlowPaused(full) });
  watchResize(view, writer);
  term.write('\x1b[?2004h'); // bracketed paste: a pasted block arrives as one piece
  const status = new StatusBar($('status'), spec.role, { menu: () => void menu.show(), theme: toggleTheme });
  const searchBar = new SearchBar($('terminal-frame'), view.search, () => term.focus());
  const toast = toaster($('toast'));
  if (spec.role === 'observer') $('observer-banner').hidden = false;

  const fallbackToken = await ensureAuthenticated(spec);
  const connection: Connection = new Connection(spec, {
    message: (m) => {
      events.handle(m);
      if (m.type === 'session_created' || m.type === 'session_attached') {
        rememberTabSession(window, m.session_id, spec.role);
        status.update({ sessionId: m.session_id, state: m.state, ...(m.type === 'session_attached' ? m.clients : { owners: 1, observers: 0 }) });
        $('observer-session').textContent = m.session_id.slice(0, 8);
        document.title = `PyREPL3 · ${spec.role === 'observer' ? 'observing ' : ''}${m.session_id.slice(0, 8)}`;
      } else if (m.type === 'status') status.update({ state: m.state });
      else if (m.type === 'clients') status.update({ owners: m.owners, observers: m.observers });
      else if (m.type === 'session_closed') status.update({ state: 'closed' });
    },
    link: (link: LinkState, detail?: string) => {
      status.update({ link, ...(detail ? { linkDetail: detail } : {}) });
      if (link === 'closed' && detail) events.closed(detail);
      if (link === 'failed') writer.output(noticeText(`Disconnected: ${detail ?? 'unknown reason'}.`));
    },
  }, fallbackToken);
  const menu = new SessionMenu(connection.client, () => connection.sessionId, () => term.focus());
  const history = new History(safeStorage(), historyKey(spec.role));
  const repl = new ReplController({
    writer,
    backend: connection,
    history,
    role: spec.role,
    width: stringWidth,
    cols: () => term.cols,
    notify: (message) => toast(message),
    scrollPages: (pages) => term.scrollPages(pages),
    newSession: () => {
      rememberTabSession(window, null, spec.role);
      location.reload();
    },
  });
  const events = new SessionEvents(repl);
  term.onData((data) => repl.handleData(data));
  exposeDebugHooks({ term, writer, repl, connection, status });
  term.focus();

  try {
    await connection.start();
  } catch (error) {
    const reason = isPyreplApiError(error) ? error.message : 'the server refused the connection or is not reachable';
    writer.output(noticeText(`Could not open the session: ${reason}`));
    status.update({ link: 'failed', linkDetail: reason });
    return;
  }
  window.addEventListener('pagehide', () => connection.stop());
  document.body.dataset.ready = 'true';
}

/**
 * Trades a token for the cookie; without one, checks the cookie and asks for the token if it is missing. Returns the
 * token only when the cookie does not work (cookies blocked): then the client sends it itself (Bearer for REST, the
 * first WebSocket message), never in a URL.
 */
async function ensureAuthenticated(spec: ConnectionSpec): Promise<string | undefined> {
  const accepted = spec.token ? await authenticate(spec.baseUrl, spec.token).catch(() => false) : false;
  try {
    await new PyreplClient({ baseUrl: spec.baseUrl }).listSessions();
    return undefined;
  } catch (error) {
    if (!isPyreplApiError(error, 'unauthorized')) return undefined; // not an auth problem: connecting will say what it is
    if (accepted) return spec.token;
    await askForToken($('terminal-frame'), spec.baseUrl);
    return undefined;
  }
}

/** Refit on window changes; the writer erases its region first so xterm's reflow never touches it. */
function watchResize(view: ReturnType<typeof createTerminal>, writer: OutputWriter): void {
  let scheduled = false;
  new ResizeObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      const size = view.fit.proposeDimensions();
      if (!size || (size.cols === view.term.cols && size.rows === view.term.rows)) return;
      writer.whileErased(() => view.fit.fit());
    });
  }).observe($('terminal'));
}

function toaster(node: HTMLElement): (message: string) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (message) => {
    node.textContent = message;
    node.hidden = false;
    clearTimeout(timer);
    timer = setTimeout(() => (node.hidden = true), 3000);
  };
}

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

main().catch((error: unknown) => {
  document.body.dataset.error = String(error);
  console.error(error);
});

/** A call into the desktop app's bridge; the page works the same without it (a browser tab) or when it is gone. */
function shellCall(call: () => void): void {
  try {
    call();
  } catch {
    /* no bridge, or the window is closing */
  }
}
