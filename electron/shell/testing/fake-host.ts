/**
 * A fake Electron for the shell's tests: records windows, menus, dialogs and IPC handlers, and lets a test fire the
 * events Electron would (navigation, window.open, second-instance, before-quit, IPC from a given frame).
 */
import type { ContentsLike, DisplayLike, ElectronLike, IpcSender, MessageBoxOptions, WindowLike, WindowOpenAnswer, WindowOptions, Rect } from '../host.js';
import type { MenuItemTemplate } from '../menu-template.js';

type Listener = () => void;

export class FakeContents implements ContentsLike {
  url = '';
  zoom = 1;
  navigate: ((url: string, prevent: () => void, userLink: boolean) => void)[] = [];
  openHandler: ((url: string) => WindowOpenAnswer) | null = null;
  webview: ((prevent: () => void) => void)[] = [];
  finishLoad: Listener[] = [];
  loadFailed: ((description: string, url: string) => void)[] = [];
  gone: ((reason: string) => void)[] = [];
  onLoadFailed(listener: (description: string, url: string) => void): void {
    this.loadFailed.push(listener);
  }
  onGone(listener: (reason: string) => void): void {
    this.gone.push(listener);
  }
  /** What main sent to this page: [channel, ...args]. */
  sent: unknown[][] = [];
  constructor(readonly id: number) {}
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
  getURL(): string {
    return this.url;
  }
  setZoomFactor(factor: number): void {
    this.zoom = factor;
  }
  onNavigate(listener: (url: string, prevent: () => void, userLink: boolean) => void): void {
    this.navigate.push(listener);
  }
  setWindowOpenHandler(handler: (url: string) => WindowOpenAnswer): void {
    this.openHandler = handler;
  }
  onWillAttachWebview(listener: (prevent: () => void) => void): void {
    this.webview.push(listener);
  }
  onDidFinishLoad(listener: Listener): void {
    this.finishLoad.push(listener);
  }
  /** Fires will-frame-navigate; true when some listener prevented it. */
  tryNavigate(url: string, userLink = true): boolean {
    let prevented = false;
    for (const l of this.navigate) l(url, () => (prevented = true), userLink);
    return prevented;
  }
  tryOpen(url: string): WindowOpenAnswer | null {
    return this.openHandler ? this.openHandler(url) : null;
  }
}

export class FakeWindow implements WindowLike {
  loaded: string[] = [];
  shown = false;
  focused = 0;
  minimized = false;
  maximized = false;
  destroyed = false;
  title: string;
  bounds: Rect;
  listeners = new Map<string, Listener[]>();
  constructor(
    readonly id: number,
    readonly webContents: FakeContents,
    readonly options: WindowOptions,
  ) {
    this.title = options.title;
    this.bounds = { x: options.x ?? 100, y: options.y ?? 100, width: options.width, height: options.height };
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    this.webContents.url = url;
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {
    this.focused++;
  }
  restore(): void {
    this.minimized = false;
  }
  maximize(): void {
    this.maximized = true;
  }
  close(): void {
    this.emit('close');
    this.destroyed = true;
    this.emit('closed');
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getNormalBounds(): Rect {
    return { ...this.bounds };
  }
  setTitle(title: string): void {
    this.title = title;
  }
  on(event: string, listener: Listener): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  emit(event: string): void {
    for (const l of this.listeners.get(event) ?? []) l();
  }
}

export class FakeHost implements ElectronLike {
  platform: NodeJS.Platform = 'linux';
  isPackaged = false;
  logsDir = '/tmp/logs';
  resourcesPath = '/opt/PyREPL3/resources';
  version = '0.1.0-test';
  lockAvailable = true;
  windows: FakeWindow[] = [];
  menus: MenuItemTemplate[][] = [];
  clipboard: string[] = [];
  external: string[] = [];
  boxes: MessageBoxOptions[] = [];
  /** What showMessageBox answers (button index). */
  boxAnswer = 0;
  openFileAnswer: string | null = null;
  themeSource: string | null = null;
  quits = 0;
  relaunches = 0;
  permission: ((permission: string, origin: string) => boolean) | null = null;
  syncHandlers = new Map<string, (sender: IpcSender, ...args: unknown[]) => unknown>();
  messageHandlers = new Map<string, (sender: IpcSender, ...args: unknown[]) => void>();
  secondInstance: Listener[] = [];
  beforeQuit: ((prevent: () => void) => void)[] = [];
  allClosed: Listener[] = [];
  activate: Listener[] = [];
  contentsCreated: ((c: ContentsLike) => void)[] = [];
  focusedId: number | null = null;
  displayList: DisplayLike[] = [{ workArea: { x: 0, y: 0, width: 1920, height: 1050 } }];
  private nextId = 1;

  constructor(readonly userDataDir: string) {}

  requestSingleInstanceLock(): boolean {
    return this.lockAvailable;
  }
  onSecondInstance(l: Listener): void {
    this.secondInstance.push(l);
  }
  onBeforeQuit(l: (prevent: () => void) => void): void {
    this.beforeQuit.push(l);
  }
  onWindowAllClosed(l: Listener): void {
    this.allClosed.push(l);
  }
  onActivate(l: Listener): void {
    this.activate.push(l);
  }
  onWebContentsCreated(l: (c: ContentsLike) => void): void {
    this.contentsCreated.push(l);
  }
  quit(): void {
    this.quits++;
  }
  relaunch(): void {
    this.relaunches++;
  }
  createWindow(options: WindowOptions): FakeWindow {
    const contents = new FakeContents(1000 + this.nextId);
    const win = new FakeWindow(this.nextId++, contents, options);
    this.windows.push(win);
    for (const l of this.contentsCreated) l(contents);
    win.on('closed', () => {
      if (this.windows.every((w) => w.destroyed)) for (const l of this.allClosed) l();
    });
    return win;
  }
  focusedWindow(): FakeWindow | null {
    return this.windows.find((w) => w.id === this.focusedId && !w.destroyed) ?? null;
  }
  setApplicationMenu(template: MenuItemTemplate[]): void {
    this.menus.push(template);
  }
  displays(): DisplayLike[] {
    return this.displayList;
  }
  setThemeSource(theme: 'dark' | 'light' | 'system'): void {
    this.themeSource = theme;
  }
  setPermissionHandlers(decide: (permission: string, origin: string) => boolean): void {
    this.permission = decide;
  }
  async openExternal(url: string): Promise<void> {
    this.external.push(url);
  }
  writeClipboard(text: string): void {
    this.clipboard.push(text);
  }
  async showMessageBox(_w: WindowLike | null, options: MessageBoxOptions): Promise<number> {
    this.boxes.push(options);
    return this.boxAnswer;
  }
  async showOpenFile(): Promise<string | null> {
    return this.openFileAnswer;
  }
  handleSync(channel: string, handler: (sender: IpcSender, ...args: unknown[]) => unknown): void {
    this.syncHandlers.set(channel, handler);
  }
  onMessage(channel: string, handler: (sender: IpcSender, ...args: unknown[]) => void): void {
    this.messageHandlers.set(channel, handler);
  }

  // --- test helpers ---
  get menu(): MenuItemTemplate[] {
    const last = this.menus.at(-1);
    if (!last) throw new Error('no menu set');
    return last;
  }
  /** Fires before-quit as app.quit() would; true when a handler prevented it. */
  fireBeforeQuit(): boolean {
    let prevented = false;
    for (const l of this.beforeQuit) l(() => (prevented = true));
    return prevented;
  }
  focus(win: FakeWindow): void {
    this.focusedId = win.id;
    win.emit('focus');
  }
  /** The menu item with this id, anywhere in the menu. */
  item(id: string): MenuItemTemplate {
    const find = (items: MenuItemTemplate[]): MenuItemTemplate | undefined => {
      for (const i of items) {
        if (i.id === id) return i;
        const inner = i.submenu && find(i.submenu);
        if (inner) return inner;
      }
      return undefined;
    };
    const found = find(this.menu);
    if (!found) throw new Error(`no menu item ${id}`);
    return found;
  }
  live(): FakeWindow[] {
    return this.windows.filter((w) => !w.destroyed);
  }
}
