/**
 * The application menu as a pure function of the shell's state, so every item, role, accelerator and enabled state
 * is unit-tested; main.ts hands the result to Menu.buildFromTemplate. Clicks call the actions given.
 */
import type { Role } from './window-target.js';

/** The subset of Electron's MenuItemConstructorOptions the shell uses (main.ts checks it is assignable). */
export interface MenuItemTemplate {
  label?: string;
  role?:
    | 'appMenu' | 'windowMenu' | 'editMenu' | 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll' | 'togglefullscreen'
    | 'toggleDevTools' | 'close' | 'quit' | 'about' | 'services' | 'hide' | 'hideOthers' | 'unhide' | 'minimize' | 'zoom';
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  accelerator?: string;
  /** false: shown, but the key is left to the page (Linux/Windows). */
  registerAccelerator?: boolean;
  enabled?: boolean;
  checked?: boolean;
  id?: string;
  click?: () => void;
  submenu?: MenuItemTemplate[];
}

export interface SessionEntry {
  session_id: string;
  state: string;
  execution_count: number;
  clients: { owners: number; observers: number };
}

export interface MenuState {
  platform: NodeJS.Platform;
  isPackaged: boolean;
  appName: string;
  /** Whether the server runs (false: it failed to start; only preferences and quit make sense). */
  serverRunning: boolean;
  /** The focused window's session, when it has one. */
  focused: { sessionId: string | null; role: Role } | null;
  sessions: SessionEntry[];
  theme: 'dark' | 'light';
  pythonPath: string | null;
}

export interface MenuActions {
  newSessionWindow(): void;
  observeFocused(): void;
  attach(sessionId: string): void;
  observe(sessionId: string): void;
  closeSession(sessionId: string): void;
  copyConnectionInfo(): void;
  interruptFocused(): void;
  restartFocused(): void;
  setTheme(theme: 'dark' | 'light'): void;
  choosePython(): void;
  useDefaultPython(): void;
  zoom(direction: 'in' | 'out' | 'reset'): void;
  openApiDocs(): void;
}

/** Shown in the menu: enough of the id to tell sessions apart (the renderer's status bar shows the same 8). */
export const SESSION_LABEL_CHARS = 8;

const separator: MenuItemTemplate = { type: 'separator' };

export function buildMenuTemplate(state: MenuState, actions: MenuActions): MenuItemTemplate[] {
  const mac = state.platform === 'darwin';
  const running = state.serverRunning;
  const focusedSession = state.focused?.sessionId ?? null;
  const canControl = running && focusedSession !== null && state.focused?.role === 'owner';
  const menus: MenuItemTemplate[] = [];
  if (mac) menus.push({ role: 'appMenu', label: state.appName });
  menus.push({
    label: mac ? 'File' : '&File',
    submenu: [
      { id: 'new-session', label: 'New Session Window', accelerator: 'CmdOrCtrl+N', enabled: running, click: actions.newSessionWindow },
      {
        id: 'observe-this',
        label: 'Observe This Session in a New Window',
        accelerator: 'CmdOrCtrl+Shift+O',
        enabled: running && focusedSession !== null,
        click: actions.observeFocused,
      },
      separator,
      { id: 'copy-connection', label: 'Copy Connection Info', enabled: running, click: actions.copyConnectionInfo },
      separator,
      {
        label: 'Preferences',
        submenu: [
          {
            label: 'Theme',
            submenu: (['dark', 'light'] as const).map((theme) => ({
              id: `theme-${theme}`,
              label: theme === 'dark' ? 'Dark' : 'Light',
              type: 'radio' as const,
              checked: state.theme === theme,
              click: () => actions.setTheme(theme),
            })),
          },
          { id: 'choose-python', label: 'Python Interpreter…', click: actions.choosePython },
          {
            id: 'default-python',
            label: state.pythonPath ? `Use Default Python (now ${state.pythonPath})` : 'Use Default Python',
            enabled: state.pythonPath !== null,
            click: actions.useDefaultPython,
          },
        ],
      },
      separator,
      { role: 'close' },
      ...(mac ? [] : [{ role: 'quit' as const }]),
    ],
  });
  menus.push(editMenu(mac));
  menus.push(viewMenu(state, actions));
  menus.push({
    label: mac ? 'Session' : '&Session',
    submenu: [
      // No accelerators: Ctrl+C in the terminal already interrupts, and a menu key would take it from the page.
      { id: 'interrupt', label: 'Interrupt', enabled: canControl, click: actions.interruptFocused },
      { id: 'restart', label: 'Restart…', enabled: canControl, click: actions.restartFocused },
      separator,
      { id: 'sessions', label: 'Sessions', enabled: running, submenu: sessionsSubmenu(state, actions) },
    ],
  });
  menus.push({ role: 'windowMenu' });
  menus.push({
    label: mac ? 'Help' : '&Help',
    submenu: [{ id: 'api-docs', label: 'API Documentation', enabled: running, click: actions.openApiDocs }],
  });
  return menus;
}

/**
 * Standard Edit roles. On Linux and Windows their keys (Ctrl+C, Ctrl+A, Ctrl+Z…) belong to the terminal (interrupt,
 * start of line, suspend), so they are shown but not registered; on macOS the Cmd keys do not clash.
 */
function editMenu(mac: boolean): MenuItemTemplate {
  const item = (role: NonNullable<MenuItemTemplate['role']>): MenuItemTemplate => (mac ? { role } : { role, registerAccelerator: false });
  return {
    label: mac ? 'Edit' : '&Edit',
    submenu: [item('undo'), item('redo'), separator, item('cut'), item('copy'), item('paste'), item('selectAll')],
  };
}

/** Zoom is the font-size preference (kept across launches), so the items are ours rather than the zoom roles. */
function viewMenu(state: MenuState, actions: MenuActions): MenuItemTemplate {
  const submenu: MenuItemTemplate[] = [
    { id: 'zoom-in', label: 'Zoom In', accelerator: 'CmdOrCtrl+=', click: () => actions.zoom('in') },
    { id: 'zoom-out', label: 'Zoom Out', accelerator: 'CmdOrCtrl+-', click: () => actions.zoom('out') },
    { id: 'zoom-reset', label: 'Actual Size', accelerator: 'CmdOrCtrl+0', click: () => actions.zoom('reset') },
    separator,
    { role: 'togglefullscreen' },
  ];
  // Developer tools only in development builds: a packaged app's users get no console that runs code in the page.
  if (!state.isPackaged) submenu.push(separator, { role: 'toggleDevTools' });
  return { label: state.platform === 'darwin' ? 'View' : '&View', submenu };
}

function sessionsSubmenu(state: MenuState, actions: MenuActions): MenuItemTemplate[] {
  if (state.sessions.length === 0) return [{ id: 'no-sessions', label: 'No open sessions', enabled: false }];
  return state.sessions.map((s) => {
    const short = s.session_id.slice(0, SESSION_LABEL_CHARS);
    const mine = s.session_id === state.focused?.sessionId ? ' (this window)' : '';
    const runs = `${s.execution_count} run${s.execution_count === 1 ? '' : 's'}`;
    return {
      id: `session-${s.session_id}`,
      label: `${short}${mine} — ${s.state}, ${runs}, ${s.clients.owners}+${s.clients.observers} attached`,
      submenu: [
        { id: `attach-${s.session_id}`, label: 'Attach', click: () => actions.attach(s.session_id) },
        { id: `observe-${s.session_id}`, label: 'Observe (read-only)', click: () => actions.observe(s.session_id) },
        separator,
        { id: `close-${s.session_id}`, label: 'Close Session…', click: () => actions.closeSession(s.session_id) },
      ],
    };
  });
}
