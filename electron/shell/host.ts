/**
 * The few Electron calls the shell makes, as a small interface (VS Code's electron-main does the same with its
 * services): everything in electron/shell/ is plain TypeScript typed against this, unit-tested with a fake in Node
 * (testing/fake-host.ts), and electron/main.ts is the one adapter from the real `electron` module to it.
 *
 * Events are registration methods with the decision as a return value or a `prevent` callback, so the policy is in
 * the shell (tested) and the adapter only forwards.
 */
import type { MenuItemTemplate } from './menu-template.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DisplayLike {
  /** The display's usable area (without task bars / the menu bar), in screen coordinates. */
  workArea: Rect;
}

/** webPreferences the shell sets on every window; each security-relevant one explicitly (see security.ts). */
export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  navigateOnDragDrop: false;
  spellcheck: false;
  zoomFactor: number;
}

export interface WindowOptions {
  x?: number;
  y?: number;
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  title: string;
  backgroundColor: string;
  /** Shown on ready-to-show, so the window never flashes an empty frame. */
  show: false;
  webPreferences: SecureWebPreferences;
}

/** The answer to window.open: the shell always denies the page's own popup (it may open a window of its own). */
export interface WindowOpenAnswer {
  action: 'deny';
}

export interface ContentsLike {
  readonly id: number;
  getURL(): string;
  setZoomFactor(factor: number): void;
  /**
   * will-frame-navigate (any frame) and will-redirect: call prevent() to stop it. `userLink` is true only for a
   * top-level navigation the page started (not a redirect, not a subframe): only that may go to the system browser.
   */
  onNavigate(listener: (url: string, prevent: () => void, userLink: boolean) => void): void;
  setWindowOpenHandler(handler: (url: string) => WindowOpenAnswer): void;
  onWillAttachWebview(listener: (prevent: () => void) => void): void;
  onDidFinishLoad(listener: () => void): void;
  /** did-fail-load of the main frame (not an aborted navigation): the page could not be loaded. */
  onLoadFailed(listener: (description: string, url: string) => void): void;
  /** render-process-gone (not a clean exit): the page crashed or was killed. */
  onGone(listener: (reason: string) => void): void;
  /** webContents.send: a one-way message to the page's preload. */
  send(channel: string, ...args: unknown[]): void;
}

export interface WindowLike {
  readonly id: number;
  readonly webContents: ContentsLike;
  loadURL(url: string): Promise<void>;
  show(): void;
  focus(): void;
  restore(): void;
  maximize(): void;
  close(): void;
  isMinimized(): boolean;
  isMaximized(): boolean;
  isDestroyed(): boolean;
  /** The bounds when not maximized / minimized (what to restore next time). */
  getNormalBounds(): Rect;
  setTitle(title: string): void;
  on(event: 'ready-to-show' | 'close' | 'closed' | 'focus', listener: () => void): void;
}

/** Who sent an IPC message: the frame's URL (checked against the server's origin) and its webContents. */
export interface IpcSender {
  frameUrl: string;
  contentsId: number;
}

export interface MessageBoxOptions {
  type: 'none' | 'info' | 'error' | 'question' | 'warning';
  message: string;
  detail?: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
}

export interface ElectronLike {
  readonly platform: NodeJS.Platform;
  /** app.isPackaged: false when run from source (`electron .`), which enables the developer tools. */
  readonly isPackaged: boolean;
  /** app.getPath('userData'): where settings.json lives. */
  readonly userDataDir: string;
  /** app.getPath('logs'). */
  readonly logsDir: string;
  /** process.resourcesPath: where a packaged app's extraResources are. */
  readonly resourcesPath: string;
  readonly version: string;

  requestSingleInstanceLock(): boolean;
  onSecondInstance(listener: () => void): void;
  onBeforeQuit(listener: (prevent: () => void) => void): void;
  onWindowAllClosed(listener: () => void): void;
  onActivate(listener: () => void): void;
  /** Every webContents the app creates, ours or not: the place to attach the navigation policy. */
  onWebContentsCreated(listener: (contents: ContentsLike) => void): void;
  quit(): void;
  relaunch(): void;

  createWindow(options: WindowOptions): WindowLike;
  focusedWindow(): WindowLike | null;
  setApplicationMenu(template: MenuItemTemplate[]): void;
  displays(): DisplayLike[];
  setThemeSource(theme: 'dark' | 'light' | 'system'): void;

  /** session.defaultSession's permission request and check handlers (only after app 'ready'). */
  setPermissionHandlers(decide: (permission: string, origin: string) => boolean): void;
  openExternal(url: string): Promise<void>;
  writeClipboard(text: string): void;
  showMessageBox(window: WindowLike | null, options: MessageBoxOptions): Promise<number>;
  /** A file picker for an executable; null when cancelled. */
  showOpenFile(window: WindowLike | null, title: string): Promise<string | null>;

  /** ipcMain.on for a sendSync channel: the handler's return value becomes event.returnValue. */
  handleSync(channel: string, handler: (sender: IpcSender, ...args: unknown[]) => unknown): void;
  /** ipcMain.on for a one-way channel. */
  onMessage(channel: string, handler: (sender: IpcSender, ...args: unknown[]) => void): void;
}
