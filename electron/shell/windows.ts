/**
 * The app's windows: which session each shows and in which role, where it opens (remembered bounds, cascade), its
 * zoom (the font-size preference), and the bounds it leaves behind. Each window gets the secure webPreferences; the
 * navigation policy is attached to every webContents by the shell (security.ts) as it is created.
 */
import type { ElectronLike, Rect, WindowLike } from './host.js';
import { secureWebPreferences } from './security.js';
import { BASE_FONT_SIZE, type Settings, type WindowState } from './settings.js';
import { cascadeFrom, MIN_HEIGHT, MIN_WIDTH, restoreBounds } from './window-bounds.js';
import type { WindowTarget } from './window-target.js';

/** Matches the renderer's dark background, so a window does not flash white before the page paints. */
export const BACKGROUND = { dark: '#1b1d23', light: '#fbfbfa' } as const;

export interface AppWindow {
  window: WindowLike;
  target: WindowTarget;
}

export interface WindowEvents {
  /** A window gained focus, closed or changed session: the menu depends on it. */
  changed(): void;
  /** Bounds to remember, from the window that is closing. */
  remember(state: WindowState): void;
  /** The window's page failed to load or its renderer process died: show why instead of a blank window. */
  failed(window: WindowLike, title: string, message: string): void;
}

export class WindowSet {
  private readonly byId = new Map<number, AppWindow>();
  private readonly contentsIds = new Set<number>();
  private lastFocused: number | null = null;
  private lastBounds: Rect | null = null;

  constructor(
    private readonly host: ElectronLike,
    private readonly preload: string,
    private readonly settings: () => Settings,
    private readonly events: WindowEvents,
  ) {}

  /** webContents ids of our windows: the only senders IPC answers. */
  get ownContents(): ReadonlySet<number> {
    return this.contentsIds;
  }

  get size(): number {
    return this.byId.size;
  }

  all(): AppWindow[] {
    return [...this.byId.values()];
  }

  byContents(contentsId: number): AppWindow | undefined {
    return this.all().find((w) => w.window.webContents.id === contentsId);
  }

  /** The window menu actions apply to: the focused one, else the one focused last. */
  current(): AppWindow | undefined {
    const focused = this.host.focusedWindow();
    if (focused && this.byId.has(focused.id)) return this.byId.get(focused.id);
    return this.lastFocused !== null ? this.byId.get(this.lastFocused) : undefined;
  }

  open(target: WindowTarget, url: string): AppWindow {
    const { preferences } = this.settings();
    const first = this.lastBounds === null;
    const placed = first ? restoreBounds(this.settings().window, this.host.displays()) : cascadeFrom(this.lastBounds as Rect, this.host.displays());
    const window = this.host.createWindow({
      ...(placed.x !== undefined && placed.y !== undefined ? { x: placed.x, y: placed.y } : {}),
      width: placed.width,
      height: placed.height,
      minWidth: MIN_WIDTH,
      minHeight: MIN_HEIGHT,
      title: target.role === 'observer' ? 'PyREPL3 · observer' : 'PyREPL3',
      backgroundColor: BACKGROUND[preferences.theme],
      show: false,
      webPreferences: secureWebPreferences(this.preload, zoomFactorFor(preferences.fontSize)),
    });
    const entry: AppWindow = { window, target };
    const contentsId = window.webContents.id;
    this.byId.set(window.id, entry);
    this.contentsIds.add(contentsId);
    this.lastFocused = window.id;
    this.lastBounds = { x: placed.x ?? 0, y: placed.y ?? 0, width: placed.width, height: placed.height };
    window.on('ready-to-show', () => {
      if (first && placed.maximized) window.maximize();
      window.show();
    });
    window.on('focus', () => {
      this.lastFocused = window.id;
      this.events.changed();
    });
    window.on('close', () => {
      this.events.remember({ ...window.getNormalBounds(), maximized: window.isMaximized() });
    });
    window.on('closed', () => {
      this.byId.delete(window.id);
      this.contentsIds.delete(contentsId);
      if (this.lastFocused === window.id) this.lastFocused = null;
      this.events.changed();
    });
    // Chromium keeps zoom per origin and the port changes each launch: apply the preference on every load.
    window.webContents.onDidFinishLoad(() => window.webContents.setZoomFactor(zoomFactorFor(this.settings().preferences.fontSize)));
    window.webContents.onLoadFailed((description, failedUrl) =>
      this.events.failed(window, 'The terminal could not be loaded', `${failedUrl}: ${description}`),
    );
    window.webContents.onGone((reason) => this.events.failed(window, 'The terminal stopped', `Its page ended: ${reason}.`));
    void window.loadURL(url).catch(() => undefined); // failures arrive as did-fail-load (above)
    return entry;
  }

  /** The page reported its session (created, attached, or cleared for a new one): the role stays main's. */
  setSession(contentsId: number, sessionId: string | null): boolean {
    const entry = this.byContents(contentsId);
    if (!entry || entry.target.sessionId === sessionId) return false;
    entry.target = { ...entry.target, sessionId };
    return true;
  }

  /** A second launch: bring the app forward (restoring a minimized window). False when there is no window. */
  focusLast(): boolean {
    const entry = this.current() ?? this.all().at(-1);
    if (!entry) return false;
    if (entry.window.isMinimized()) entry.window.restore();
    entry.window.show();
    entry.window.focus();
    return true;
  }

  applyZoom(fontSize: number): void {
    for (const { window } of this.all()) if (!window.isDestroyed()) window.webContents.setZoomFactor(zoomFactorFor(fontSize));
  }

  /** Bounds of the window to remember at quit (windows that are still open when the app quits do not close first). */
  currentState(): WindowState | null {
    const entry = this.current() ?? this.all().at(-1);
    if (!entry || entry.window.isDestroyed()) return null;
    return { ...entry.window.getNormalBounds(), maximized: entry.window.isMaximized() };
  }
}

export function zoomFactorFor(fontSize: number): number {
  return fontSize / BASE_FONT_SIZE;
}
