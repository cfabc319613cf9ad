/**
 * Find in the transcript (Ctrl+Shift+F): a small bar over the terminal driving xterm's search addon. Enter finds the
 * next (older) match, Shift+Enter the previous, Esc closes and returns to the terminal.
 */
import type { SearchAddon } from '@xterm/addon-search';

const DECORATIONS = {
  matchBackground: '#5c4a1f',
  matchOverviewRuler: '#e5c07b',
  activeMatchBackground: '#9a6b00',
  activeMatchColorOverviewRuler: '#ffd68a',
};

export class SearchBar {
  private readonly bar: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly count: HTMLElement;

  constructor(
    host: HTMLElement,
    private readonly search: SearchAddon,
    private readonly onClose: () => void,
  ) {
    this.bar = document.createElement('div');
    this.bar.className = 'search-bar';
    this.bar.hidden = true;
    this.input = document.createElement('input');
    this.input.type = 'search';
    this.input.placeholder = 'Find';
    this.input.setAttribute('aria-label', 'Find in terminal');
    this.count = document.createElement('span');
    this.count.className = 'search-count';
    const prev = this.button('↑', 'Previous match (Shift+Enter)', () => this.find(false));
    const next = this.button('↓', 'Next match (Enter)', () => this.find(true));
    const close = this.button('✕', 'Close (Esc)', () => this.hide());
    this.bar.append(this.input, this.count, prev, next, close);
    host.append(this.bar);
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.find(!event.shiftKey);
      else if (event.key === 'Escape') this.hide();
      else return;
      event.preventDefault();
    });
    this.input.addEventListener('input', () => this.find(true, true));
    search.onDidChangeResults(({ resultIndex, resultCount }) => {
      this.count.textContent = resultCount === 0 ? (this.input.value ? 'no match' : '') : `${resultIndex + 1}/${resultCount}`;
    });
  }

  private button(text: string, title: string, action: () => void): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = text;
    button.title = title;
    button.addEventListener('click', action);
    return button;
  }

  show(): void {
    this.bar.hidden = false;
    this.input.focus();
    this.input.select();
  }

  hide(): void {
    this.bar.hidden = true;
    this.search.clearDecorations();
    this.onClose();
  }

  private find(forward: boolean, incremental = false): void {
    const term = this.input.value;
    if (!term) return this.search.clearDecorations();
    const options = { decorations: DECORATIONS, incremental };
    // Newest output is at the bottom: "next" walks up towards older lines, as a terminal's find usually does.
    if (forward) this.search.findPrevious(term, options);
    else this.search.findNext(term, options);
  }
}
