/**
 * Dark (default) and light colour schemes for the terminal and the page around it. The choice is remembered. The 16-colour palette is what output colours (stderr, tracebacks,
 * prompts) use, so both schemes keep them readable.
 */
import type { ITheme, Terminal } from '@xterm/xterm';

export type ThemeName = 'dark' | 'light';

const THEME_KEY = 'pyrepl.theme';

export const THEMES: Record<ThemeName, ITheme> = {
  dark: {
    background: '#1b1d23',
    foreground: '#d7dae0',
    cursor: '#f0c674',
    cursorAccent: '#1b1d23',
    selectionBackground: '#3e4451',
    black: '#2c313a',
    red: '#f07178',
    green: '#98c379',
    yellow: '#e5c07b',
    blue: '#61afef',
    magenta: '#c678dd',
    cyan: '#56b6c2',
    white: '#d7dae0',
    brightBlack: '#7f848e',
    brightRed: '#ff8b92',
    brightGreen: '#b5e890',
    brightYellow: '#ffd68a',
    brightBlue: '#8cc8ff',
    brightMagenta: '#de9bf0',
    brightCyan: '#7fd3de',
    brightWhite: '#ffffff',
  },
  light: {
    background: '#fbfbfa',
    foreground: '#24292f',
    cursor: '#0969da',
    cursorAccent: '#fbfbfa',
    selectionBackground: '#c8dcf5',
    black: '#24292f',
    red: '#c4262e',
    green: '#1a7f37',
    yellow: '#8a6100',
    blue: '#0550ae',
    magenta: '#8250df',
    cyan: '#0e7490',
    white: '#6e7781',
    brightBlack: '#57606a',
    brightRed: '#a40e26',
    brightGreen: '#116329',
    brightYellow: '#6b4a00',
    brightBlue: '#033d8b',
    brightMagenta: '#6639ba',
    brightCyan: '#0b5566',
    brightWhite: '#8c959f',
  },
};

export function initialTheme(): ThemeName {
  try {
    const saved = localStorage.getItem(THEME_KEY);
    if (saved === 'dark' || saved === 'light') return saved;
  } catch {
    /* no storage: follow the system */
  }
  return 'dark'; // the default; light is one click (or Ctrl+Shift+L) away and then remembered
}

export function applyTheme(term: Terminal, name: ThemeName): void {
  term.options.theme = THEMES[name];
  document.documentElement.dataset.theme = name;
  try {
    localStorage.setItem(THEME_KEY, name);
  } catch {
    /* not remembered */
  }
}

export const FONT_STACK =
  '"JetBrains Mono", "Cascadia Mono", "Cascadia Code", "Fira Code", "SF Mono", Menlo, Consolas, "Ubuntu Mono", "DejaVu Sans Mono", "Liberation Mono", monospace';
