/**
 * The Electron main process: the one file that imports 'electron' at runtime besides the preload. It adapts the real
 * app, BrowserWindow, Menu, dialog, shell, clipboard, session and ipcMain to ElectronLike (shell/host.ts) and hands
 * it to ShellApp, where every decision is made and tested. Keep it a thin, obviously-correct translation.
 */
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, nativeTheme, screen, session, shell, type WebContents } from 'electron';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { PyreplClient } from '../client/index.js';
import { startServer } from '../server/app.js';
import type { ContentsLike, ElectronLike, WindowLike } from './shell/host.js';
import type { MenuItemTemplate } from './shell/menu-template.js';
import { probePython } from './shell/python-probe.js';
import { launchServer } from './shell/server-launch.js';
import { ShellApp } from './shell/shell-app.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The app's version (package.json, via Electron). */
const VERSION = app.getVersion();
/**
 * The name of the settings and log folders. Set before anything reads userData, so a checkout (`electron .`, whose
 * package name is pyrepl3) and a package (productName PyREPL3) share one ~/.config/PyREPL3.
 */
const APP_NAME = 'PyREPL3';
app.setName(APP_NAME);
app.setPath('userData', join(app.getPath('appData'), APP_NAME));
app.setAppLogsPath(); // its default: ~/Library/Logs/PyREPL3 on macOS, userData/logs elsewhere

/** Chromium's net::ERR_ABORTED: a navigation replaced by another (or stopped), not a failure to show. */
const ERR_ABORTED = -3;

function adaptContents(contents: WebContents): ContentsLike {
  return {
    id: contents.id,
    getURL: () => contents.getURL(),
    setZoomFactor: (factor) => contents.setZoomFactor(factor),
    onNavigate: (listener) => {
      contents.on('will-frame-navigate', (details) => listener(details.url, () => details.preventDefault(), details.isMainFrame));
      contents.on('will-redirect', (details) => listener(details.url, () => details.preventDefault(), false));
    },
    setWindowOpenHandler: (handler) => contents.setWindowOpenHandler((details) => handler(details.url)),
    onWillAttachWebview: (listener) => contents.on('will-attach-webview', (event) => listener(() => event.preventDefault())),
    onDidFinishLoad: (listener) => contents.on('did-finish-load', listener),
    onLoadFailed: (listener) =>
      contents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
        if (isMainFrame && code !== ERR_ABORTED) listener(description, url);
      }),
    onGone: (listener) =>
      contents.on('render-process-gone', (_event, details) => {
        if (details.reason !== 'clean-exit') listener(details.reason);
      }),
    send: (channel, ...args) => contents.send(channel, ...args),
  };
}

const adapted = new WeakMap<BrowserWindow, WindowLike>();

function adaptWindow(win: BrowserWindow): WindowLike {
  const existing = adapted.get(win);
  if (existing) return existing;
  const contents = adaptContents(win.webContents);
  const like: WindowLike = {
    id: win.id,
    webContents: contents,
    loadURL: (url) => win.loadURL(url),
    show: () => win.show(),
    focus: () => win.focus(),
    restore: () => win.restore(),
    maximize: () => win.maximize(),
    close: () => win.close(),
    isMinimized: () => win.isMinimized(),
    isMaximized: () => win.isMaximized(),
    isDestroyed: () => win.isDestroyed(),
    getNormalBounds: () => win.getNormalBounds(),
    setTitle: (title) => win.setTitle(title),
    on: (event, listener) => void win.on(event as 'closed', listener),
  };
  adapted.set(win, like);
  return like;
}

const windowOf = (like: WindowLike | null) => (like ? BrowserWindow.fromId(like.id) : null);

const host: ElectronLike = {
  platform: process.platform,
  isPackaged: app.isPackaged,
  userDataDir: app.getPath('userData'),
  logsDir: app.getPath('logs'),
  resourcesPath: process.resourcesPath,
  version: VERSION,
  requestSingleInstanceLock: () => app.requestSingleInstanceLock(),
  onSecondInstance: (listener) => void app.on('second-instance', () => listener()),
  onBeforeQuit: (listener) => void app.on('before-quit', (event) => listener(() => event.preventDefault())),
  onWindowAllClosed: (listener) => void app.on('window-all-closed', listener),
  onActivate: (listener) => void app.on('activate', () => listener()),
  onWebContentsCreated: (listener) => void app.on('web-contents-created', (_event, contents) => listener(adaptContents(contents))),
  quit: () => app.quit(),
  relaunch: () => app.relaunch(),
  createWindow: (options) => adaptWindow(new BrowserWindow(options)),
  focusedWindow: () => {
    const win = BrowserWindow.getFocusedWindow();
    return win ? adaptWindow(win) : null;
  },
  setApplicationMenu: (template: MenuItemTemplate[]) => Menu.setApplicationMenu(Menu.buildFromTemplate(template)),
  displays: () => screen.getAllDisplays(),
  setThemeSource: (theme) => {
    nativeTheme.themeSource = theme;
  },
  setPermissionHandlers: (decide) => {
    session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => callback(decide(permission, details.requestingUrl)));
    session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) => decide(permission, requestingOrigin));
  },
  openExternal: (url) => shell.openExternal(url),
  writeClipboard: (text) => clipboard.writeText(text),
  showMessageBox: async (window, options) => {
    const win = windowOf(window);
    return (win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options)).response;
  },
  showOpenFile: async (window, title) => {
    const options = { title, properties: ['openFile' as const, 'showHiddenFiles' as const] };
    const win = windowOf(window);
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
  handleSync: (channel, handler) =>
    void ipcMain.on(channel, (event, ...args: unknown[]) => {
      event.returnValue = handler({ frameUrl: event.senderFrame?.url ?? '', contentsId: event.sender.id }, ...args);
    }),
  onMessage: (channel, handler) =>
    void ipcMain.on(channel, (event, ...args: unknown[]) => handler({ frameUrl: event.senderFrame?.url ?? '', contentsId: event.sender.id }, ...args)),
};

mkdirSync(host.logsDir, { recursive: true });
const logFile = join(host.logsDir, 'main.log');
// Synchronous writes: few lines, and the last ones (the quit sequence) must not be lost when the process exits.
const logger = pino({ level: process.env.PYREPL_LOG_LEVEL ?? 'info' }, pino.destination({ dest: logFile, mkdir: true, sync: true }));

const shellApp = new ShellApp({
  host,
  env: process.env,
  preload: join(here, 'preload.cjs'),
  probe: probePython,
  exists: existsSync,
  launch: (python, runtimeDir) => launchServer({ python, runtimeDir, env: process.env, version: VERSION, logger, start: startServer }),
  api: (server) => new PyreplClient({ baseUrl: server.url, token: server.token }),
  log: {
    info: (message) => logger.info(message),
    warn: (message) => logger.warn(message),
    error: (message) => logger.error(message),
  },
  logFile,
});

if (!shellApp.register()) {
  // Another instance runs: it got 'second-instance' and comes forward; this one leaves at once.
  app.exit(0);
} else {
  app
    .whenReady()
    .then(() => shellApp.start())
    .catch((err: unknown) => {
      logger.fatal({ err: String(err) }, 'the app failed to start');
      dialog.showErrorBox('PyREPL3 could not start', String(err instanceof Error ? err.stack : err));
      app.exit(1);
    });
}
