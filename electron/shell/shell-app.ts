/**
 * The desktop app's main-process logic, written against ElectronLike (host.ts) so it runs under node:test with a
 * fake: one instance, the Python choice, the in-process server, windows, IPC hand-off, the menu, and a clean quit.
 * electron/main.ts constructs it with the real electron module.
 */
import {
  connectionFor,
  CHANNEL_APPLY_THEME,
  CHANNEL_GET_CONNECTION,
  CHANNEL_SESSION_CHANGED,
  CHANNEL_THEME_CHANGED,
  isTrustedSender,
  parseSessionChanged,
  parseThemeChanged,
} from './connection-handoff.js';
import { errorPageUrl } from './error-page.js';
import type { ElectronLike, WindowLike } from './host.js';
import { buildMenuTemplate, type SessionEntry } from './menu-template.js';
import { menuActions, type SessionsApi } from './menu-actions.js';
import { choosePython, type ProbeResult } from './python-choice.js';
import { bundledPythonExecutable, packagedRuntimeDir } from './resource-layout.js';
import { decidePermission, hardenContents, originOf } from './security.js';
import type { LaunchedServer } from './server-launch.js';
import { loadSettings, saveSettings, settingsPath, type Settings } from './settings.js';
import { WindowSet } from './windows.js';
import type { WindowTarget } from './window-target.js';

/** Sessions created or closed by scripts through the API do not notify the app: the Sessions menu re-reads the list. */
export const SESSIONS_POLL_MS = 3000;
/** Quit waits this long for the server to close; after that it quits anyway (workers exit with their pipe). */
export const QUIT_TIMEOUT_MS = 10_000;

export interface ShellLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ShellDeps {
  host: ElectronLike;
  env: NodeJS.ProcessEnv;
  /** The compiled preload (dist/electron/preload.cjs). */
  preload: string;
  probe(path: string): Promise<ProbeResult>;
  exists(path: string): boolean;
  launch(python: string, runtimeDir: string | undefined): Promise<LaunchedServer>;
  api(server: LaunchedServer): SessionsApi;
  log: ShellLogger;
  logFile?: string;
  sessionsPollMs?: number;
  quitTimeoutMs?: number;
}

export type ShellState = 'idle' | 'starting' | 'running' | 'failed' | 'quitting' | 'done';

export class ShellApp {
  state: ShellState = 'idle';
  server: LaunchedServer | null = null;
  settings: Settings;
  sessions: SessionEntry[] = [];
  readonly windows: WindowSet;
  private readonly file: string;
  private poll: ReturnType<typeof setInterval> | null = null;
  private menuKey = '';
  private api: SessionsApi | null = null;
  private launching: Promise<LaunchedServer> | null = null;

  constructor(readonly deps: ShellDeps) {
    this.file = settingsPath(deps.host.userDataDir);
    const loaded = loadSettings(this.file);
    if (loaded.problem) deps.log.warn(loaded.problem);
    this.settings = loaded.settings;
    this.windows = new WindowSet(deps.host, deps.preload, () => this.settings, {
      changed: () => this.refreshMenu(),
      remember: (state) => this.updateSettings({ window: state }),
      failed: (window, title, message) => this.showFailure(window, title, message),
    });
  }

  get origin(): string | null {
    return this.server ? originOf(this.server.url) : null;
  }

  /**
   * Before app 'ready': the single-instance lock and the app-wide handlers. False when another instance runs (it has
   * been told to come forward; this one should quit).
   */
  register(): boolean {
    const { host } = this.deps;
    if (!host.requestSingleInstanceLock()) return false;
    host.onSecondInstance(() => {
      if (!this.windows.focusLast() && this.state === 'running') this.openWindow({ sessionId: null, role: 'owner' });
    });
    host.onWebContentsCreated((contents) =>
      hardenContents(contents, {
        serverOrigin: () => this.origin,
        openExternal: (url) => void host.openExternal(url).catch(() => undefined),
        openAppWindow: (target) => this.openWindow(target),
      }),
    );
    host.handleSync(CHANNEL_GET_CONNECTION, (sender) => {
      const entry = this.windows.byContents(sender.contentsId);
      if (!this.server || !entry || !isTrustedSender(sender, this.origin, this.windows.ownContents)) return null;
      return connectionFor(this.server, entry.target, this.settings.preferences.theme);
    });
    host.onMessage(CHANNEL_SESSION_CHANGED, (sender, ...args) => {
      if (!isTrustedSender(sender, this.origin, this.windows.ownContents)) return;
      const target = parseSessionChanged(args);
      if (target && this.windows.setSession(sender.contentsId, target.sessionId)) void this.refreshSessions();
    });
    host.onMessage(CHANNEL_THEME_CHANGED, (sender, ...args) => {
      if (!isTrustedSender(sender, this.origin, this.windows.ownContents)) return;
      const theme = parseThemeChanged(args);
      if (theme) this.setTheme(theme, sender.contentsId);
    });
    host.onBeforeQuit((prevent) => {
      if (this.state === 'done') return;
      prevent(); // once per quit: the cleanup below runs, then quits for real
      void this.shutdown();
    });
    host.onWindowAllClosed(() => {
      // macOS apps stay in the Dock with no window; elsewhere closing the last window quits.
      if (host.platform !== 'darwin') host.quit();
    });
    host.onActivate(() => {
      if (this.windows.size === 0 && this.state === 'running') this.openWindow({ sessionId: null, role: 'owner' });
    });
    return true;
  }

  /** After app 'ready': choose Python, start the server, open the first window (or the error page). */
  async start(): Promise<void> {
    const { host, log } = this.deps;
    this.state = 'starting';
    // Here, not in register(): Electron's default session exists only once the app is ready.
    host.setPermissionHandlers((permission, origin) => decidePermission(permission, origin, this.origin));
    host.setThemeSource(this.settings.preferences.theme);
    this.refreshMenu();
    const choice = await choosePython({
      bundled: host.isPackaged ? bundledPythonExecutable(host.resourcesPath, host.platform) : undefined,
      exists: this.deps.exists,
      env: this.deps.env,
      preferences: this.settings.preferences,
      probe: this.deps.probe,
      platform: host.platform,
    });
    if (!choice.ok) return this.fail('PyREPL3 needs Python 3.9 or newer', choice.message);
    log.info(`Python ${choice.version} at ${choice.path} (from ${choice.source})`);
    try {
      const runtimeDir = host.isPackaged ? packagedRuntimeDir(host.resourcesPath) : undefined;
      this.launching = this.deps.launch(choice.path, runtimeDir);
      this.server = await this.launching;
    } catch (err) {
      return this.fail('The PyREPL3 server could not start', err instanceof Error ? err.message : String(err));
    }
    // Quit was asked while the server started: shutdown() waits for this launch and stops the server.
    if ((this.state as ShellState) !== 'starting') return;
    this.api = this.deps.api(this.server);
    this.state = 'running';
    log.info(`server at ${this.server.url}`);
    this.openWindow({ sessionId: null, role: 'owner' });
    this.poll = setInterval(() => void this.refreshSessions(), this.deps.sessionsPollMs ?? SESSIONS_POLL_MS);
    this.poll.unref(); // polling alone never keeps the process alive (Electron's loop does; tests end without it)
    await this.refreshSessions();
  }

  private fail(title: string, message: string): void {
    this.deps.log.error(`${title}: ${message}`);
    if (this.state !== 'starting') return; // quitting meanwhile: no window to show it in
    this.state = 'failed';
    this.windows.open({ sessionId: null, role: 'owner' }, errorPageUrl({ title, message, logFile: this.deps.logFile }));
    this.refreshMenu();
  }

  /**
   * A window whose page failed shows why. The session lives on in the server, so reloading (View → Reload) or a new
   * window attaches again; a failure of the error page itself is not reported again (no loop).
   */
  private showFailure(window: WindowLike, title: string, message: string): void {
    this.deps.log.error(`${title}: ${message}`);
    if (window.isDestroyed() || window.webContents.getURL().startsWith('data:')) return;
    const hint = 'The session keeps running in the server; trying again attaches this window to it.';
    const retryUrl = this.server && this.state === 'running' ? `${this.server.url}/` : undefined;
    void window.loadURL(errorPageUrl({ title, message, logFile: this.deps.logFile, hint, retryUrl })).catch(() => undefined);
  }

  openWindow(target: WindowTarget): void {
    if (!this.server || this.state !== 'running') return;
    this.windows.open(target, `${this.server.url}/`);
    this.refreshMenu();
  }

  async refreshSessions(): Promise<void> {
    if (!this.api || this.state !== 'running') return;
    try {
      this.sessions = await this.api.listSessions();
    } catch (err) {
      this.deps.log.warn(`listing sessions failed: ${(err as Error).message}`);
    }
    this.refreshMenu();
  }

  /** Rebuilds the menu only when what it shows changed: replacing it closes a menu the user has open (Linux). */
  refreshMenu(): void {
    const current = this.windows.current();
    const template = buildMenuTemplate(
      {
        platform: this.deps.host.platform,
        isPackaged: this.deps.host.isPackaged,
        appName: 'PyREPL3',
        serverRunning: this.state === 'running',
        focused: current ? current.target : null,
        sessions: this.sessions,
        theme: this.settings.preferences.theme,
        pythonPath: this.settings.preferences.pythonPath,
      },
      menuActions(this, () => this.api),
    );
    const key = JSON.stringify(template);
    if (key === this.menuKey) return;
    this.menuKey = key;
    this.deps.host.setApplicationMenu(template);
  }

  /**
   * The theme preference: saved, applied to the native chrome and the menu, and sent to every window's page except
   * the one it came from (which applied it already), so all windows agree without a reload.
   */
  setTheme(theme: 'dark' | 'light', fromContents: number | null = null): void {
    if (theme !== this.settings.preferences.theme) this.updateSettings({ preferences: { ...this.settings.preferences, theme } });
    this.deps.host.setThemeSource(theme);
    for (const { window } of this.windows.all()) {
      if (!window.isDestroyed() && window.webContents.id !== fromContents) window.webContents.send(CHANNEL_APPLY_THEME, theme);
    }
    this.refreshMenu();
  }

  updateSettings(change: Partial<Settings>): void {
    this.settings = { ...this.settings, ...change };
    try {
      saveSettings(this.file, this.settings);
    } catch (err) {
      this.deps.log.warn(`could not save settings: ${(err as Error).message}`);
    }
  }

  /** before-quit's work: stop polling, remember the window, stop the server (bounded), then quit for real. */
  async shutdown(): Promise<void> {
    if (this.state === 'quitting' || this.state === 'done') return;
    this.state = 'quitting';
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
    const windowState = this.windows.currentState();
    if (windowState) this.updateSettings({ window: windowState });
    // A quit during start-up waits for the launch, so that server is stopped too (and its runtime file removed).
    const server = this.server ?? (this.launching ? await this.launching.catch(() => null) : null);
    if (server) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const limit = this.deps.quitTimeoutMs ?? QUIT_TIMEOUT_MS;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), limit)));
      const outcome = await Promise.race([server.stop().then(() => 'stopped' as const, (err: Error) => err), timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') this.deps.log.warn(`the server did not close within ${limit} ms; quitting anyway`);
      else if (outcome instanceof Error) this.deps.log.error(`closing the server failed: ${outcome.message}`);
      else this.deps.log.info('server closed');
    }
    this.state = 'done';
    this.deps.host.quit();
  }
}
