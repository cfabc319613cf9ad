/**
 * What the app remembers between launches, in one JSON file under app.getPath('userData'): the window's bounds and
 * the preferences (theme, font size, Python interpreter path). Reading never fails: a missing file gives the
 * defaults, a corrupt one is moved aside (settings.json.corrupt, so nothing the user had is silently lost) and gives
 * the defaults too, and each field is validated on its own so one bad value does not reset the rest.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Rect } from './host.js';

export const SETTINGS_FILE = 'settings.json';
/** The renderer's terminal font size (renderer/terminal-view.ts); zoom is the ratio to it. */
export const BASE_FONT_SIZE = 14;
/** Smaller is unreadable, larger leaves a handful of columns on a laptop screen. */
export const MIN_FONT_SIZE = 8;
export const MAX_FONT_SIZE = 32;

export interface WindowState extends Rect {
  maximized: boolean;
}

export interface Preferences {
  theme: 'dark' | 'light';
  fontSize: number;
  /** null: choose as usual (bundled, PYREPL_PYTHON, PATH). */
  pythonPath: string | null;
}

export interface Settings {
  window: WindowState | null;
  preferences: Preferences;
}

export const DEFAULT_SETTINGS: Settings = {
  window: null,
  preferences: { theme: 'dark', fontSize: BASE_FONT_SIZE, pythonPath: null },
};

export function settingsPath(userDataDir: string): string {
  return join(userDataDir, SETTINGS_FILE);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function clampFontSize(size: number): number {
  return Math.min(MAX_FONT_SIZE, Math.max(MIN_FONT_SIZE, Math.round(size)));
}

/** Whatever parsed JSON holds, as valid Settings: each bad or missing field falls back to its default. */
export function sanitizeSettings(raw: unknown): Settings {
  const root = isRecord(raw) ? raw : {};
  const prefs = isRecord(root.preferences) ? root.preferences : {};
  const win = isRecord(root.window) ? root.window : null;
  const defaults = DEFAULT_SETTINGS.preferences;
  return {
    window:
      win && finite(win.x) && finite(win.y) && finite(win.width) && finite(win.height) && win.width > 0 && win.height > 0
        ? { x: win.x, y: win.y, width: win.width, height: win.height, maximized: win.maximized === true }
        : null,
    preferences: {
      theme: prefs.theme === 'light' || prefs.theme === 'dark' ? prefs.theme : defaults.theme,
      fontSize: finite(prefs.fontSize) ? clampFontSize(prefs.fontSize) : defaults.fontSize,
      pythonPath: typeof prefs.pythonPath === 'string' && prefs.pythonPath.trim() !== '' ? prefs.pythonPath.trim() : null,
    },
  };
}

export interface LoadResult {
  settings: Settings;
  /** Set when the file was unreadable JSON and was moved aside: worth a log line. */
  problem?: string;
}

export function loadSettings(file: string): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { settings: structuredClone(DEFAULT_SETTINGS) };
  }
  try {
    return { settings: sanitizeSettings(JSON.parse(text)) };
  } catch (err) {
    try {
      renameSync(file, `${file}.corrupt`);
    } catch {
      /* could not move it: it is overwritten on the next save */
    }
    return { settings: structuredClone(DEFAULT_SETTINGS), problem: `${file} was not valid JSON (${(err as Error).message}); moved to ${file}.corrupt` };
  }
}

/** Write-then-rename, so a crash mid-write leaves the previous file rather than half a one. */
export function saveSettings(file: string, settings: Settings): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ version: 1, ...settings }, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
