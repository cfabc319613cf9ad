/**
 * A stand-in for the `electron` module, so electron/main.ts itself (the adapter) can be loaded and driven under plain
 * Node: main-harness.ts maps the specifier 'electron' here with a module resolve hook. It implements only what
 * main.ts calls, and records it.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type AnyFn = (...args: never[]) => unknown;
const root = mkdtempSync(join(tmpdir(), 'pyrepl-fake-electron-'));

export const record = {
  menus: [] as unknown[][],
  quits: 0,
  exits: [] as number[],
  themeSource: '',
  permissionRequest: null as AnyFn | null,
  permissionCheck: null as AnyFn | null,
  paths: {} as Record<string, string>,
  name: '',
};

class FakeApp extends EventEmitter {
  isPackaged = false;
  private readyResolve!: () => void;
  private readonly ready = new Promise<void>((resolve) => (this.readyResolve = resolve));
  getVersion = () => '0.1.0';
  setName = (name: string) => void (record.name = name);
  getPath = (name: string) => record.paths[name] ?? join(root, name);
  setPath = (name: string, path: string) => void (record.paths[name] = path);
  setAppLogsPath = () => void (record.paths.logs = join(this.getPath('userData'), 'logs'));
  requestSingleInstanceLock = () => true;
  private readyNow = false;
  whenReady = () => this.ready;
  isReady = () => this.readyNow;
  makeReady = () => {
    this.readyNow = true;
    this.readyResolve();
  };
  quit = () => {
    record.quits++;
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    this.emit('before-quit', event);
  };
  relaunch = () => undefined;
  exit = (code: number) => void record.exits.push(code);
}
export const app = new FakeApp();

let nextId = 1;
export class FakeWebContents extends EventEmitter {
  readonly id = 100 + nextId;
  url = '';
  zoom = 1;
  openHandler: AnyFn | null = null;
  getURL = () => this.url;
  setZoomFactor = (f: number) => void (this.zoom = f);
  setWindowOpenHandler = (h: AnyFn) => void (this.openHandler = h);
}

export class BrowserWindow extends EventEmitter {
  static all: BrowserWindow[] = [];
  static fromId = (id: number) => BrowserWindow.all.find((w) => w.id === id) ?? null;
  static getFocusedWindow = () => null;
  readonly id = nextId++;
  readonly webContents = new FakeWebContents();
  loaded: string[] = [];
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.all.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL = async (url: string) => {
    this.loaded.push(url);
    this.webContents.url = url;
  };
  show = () => undefined;
  focus = () => undefined;
  restore = () => undefined;
  maximize = () => undefined;
  close = () => this.emit('closed');
  isMinimized = () => false;
  isMaximized = () => false;
  isDestroyed = () => false;
  getNormalBounds = () => ({ x: 1, y: 2, width: 900, height: 650 });
  setTitle = () => undefined;
}

export const Menu = {
  buildFromTemplate: (template: unknown[]) => template,
  setApplicationMenu: (menu: unknown[]) => void record.menus.push(menu),
};
export const ipcMain = new EventEmitter();
export const nativeTheme = {
  set themeSource(value: string) {
    record.themeSource = value;
  },
};
export const screen = {
  getAllDisplays: () => {
    if (!app.isReady()) throw new Error('screen cannot be used before the app is ready');
    return [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }];
  },
};
const defaultSession = {
  setPermissionRequestHandler: (h: AnyFn) => void (record.permissionRequest = h),
  setPermissionCheckHandler: (h: AnyFn) => void (record.permissionCheck = h),
};
export const session = {
  // As in Electron: the default session cannot be had before the app is ready.
  get defaultSession() {
    if (!app.isReady()) throw new Error('Session can only be received when app is ready');
    return defaultSession;
  },
};
export const shell = { openExternal: async () => undefined };
export const clipboard = { writeText: () => undefined };
export const dialog = {
  showMessageBox: async () => ({ response: 0 }),
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showErrorBox: (title: string, content: string) => console.error(`showErrorBox: ${title}: ${content}`),
};
export default { app, BrowserWindow, Menu, ipcMain, nativeTheme, screen, session, shell, clipboard, dialog };
