/**
 * The xterm.js terminal and its addons: DOM renderer (the default; text stays in the DOM, readable by tests and
 * screen readers), fit to the window, clickable links, find, Unicode 11 widths. Browser-level keys are caught here
 * before xterm turns them into input: copy/paste, find, the session menu.
 */
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import { withConstructedStyles } from './csp-styles.js';
import { FONT_STACK, THEMES, type ThemeName } from './theme.js';

export interface TerminalShortcuts {
  sessionMenu(): void;
  find(): void;
  toggleTheme(): void;
}

export interface TerminalView {
  term: Terminal;
  fit: FitAddon;
  search: SearchAddon;
}

export function createTerminal(container: HTMLElement, theme: ThemeName, shortcuts: TerminalShortcuts): TerminalView {
  const term = new Terminal({
    fontFamily: FONT_STACK,
    fontSize: 14,
    lineHeight: 1.2,
    cursorBlink: true,
    convertEol: true, // output's lone \n starts a new line (\r still returns to its start: progress bars work)
    scrollback: 10_000,
    allowProposedApi: true, // the Unicode version API
    theme: THEMES[theme],
    macOptionIsMeta: true, // Option+←/→/Backspace as word keys
    rightClickSelectsWord: true,
  });
  const fit = new FitAddon();
  const search = new SearchAddon();
  term.loadAddon(fit);
  term.loadAddon(search);
  term.loadAddon(new WebLinksAddon((_event, uri) => window.open(uri, '_blank', 'noopener,noreferrer')));
  term.loadAddon(new Unicode11Addon());
  term.unicode.activeVersion = '11';
  withConstructedStyles(() => term.open(container));
  term.attachCustomKeyEventHandler((event) => browserKey(term, event, shortcuts));
  fit.fit();
  return { term, fit, search };
}

/** False: xterm must not handle the key (the browser or we do). */
function browserKey(term: Terminal, event: KeyboardEvent, shortcuts: TerminalShortcuts): boolean {
  if (event.type !== 'keydown') return true;
  const mod = event.ctrlKey || event.metaKey;
  if (!mod) return true;
  const shortcut = event.shiftKey ? { KeyP: shortcuts.sessionMenu, KeyF: shortcuts.find, KeyL: shortcuts.toggleTheme }[event.code] : undefined;
  if (shortcut) {
    event.preventDefault();
    shortcut();
    return false;
  }
  if (event.code === 'KeyC' && (event.shiftKey || term.hasSelection())) {
    // Ctrl+C with a selection copies (Ctrl+Shift+C always): the clipboard API where allowed, else the browser's
    // copy event, which xterm answers with its selection.
    if (term.hasSelection()) {
      const text = term.getSelection();
      if (event.shiftKey) event.preventDefault(); // Ctrl+Shift+C would open the browser's element inspector
      navigator.clipboard?.writeText(text).catch(() => undefined);
      setTimeout(() => term.clearSelection(), 0);
    }
    return false;
  }
  // Ctrl+V / Ctrl+Shift+V: let the browser paste; xterm turns the paste event into a bracketed paste.
  if (event.code === 'KeyV' && !event.altKey) return false;
  return true;
}
