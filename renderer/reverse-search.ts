/**
 * Ctrl+R: readline's reverse incremental search over the cell history. Each typed character narrows the match,
 * Ctrl+R again steps to older matches, Backspace widens from the newest. Pure state; the controller draws it.
 */
import type { History } from './history.js';

export class ReverseSearch {
  query = '';
  match: { index: number; entry: string; at: number } | null = null;
  failed = false;

  constructor(
    private readonly history: History,
    /** What the line held before the search, restored on cancel. */
    readonly original: { text: string; cursor: number },
  ) {}

  private find(from?: number): void {
    const hit = this.query ? this.history.search(this.query, from) : null;
    if (hit) {
      this.match = hit;
      this.failed = false;
    } else {
      this.failed = this.query.length > 0;
    }
  }

  type(text: string): void {
    this.query += text;
    this.find(this.match ? this.match.index : undefined);
  }

  backspace(): void {
    this.query = [...this.query].slice(0, -1).join('');
    this.match = null;
    this.find();
  }

  /** Ctrl+R again: the next older entry that matches (stays on the current one at the oldest). */
  older(): void {
    if (!this.match) return this.find();
    const hit = this.history.search(this.query, this.match.index - 1);
    if (hit) this.match = hit;
    else this.failed = true;
  }

  get prompt(): string {
    return `(${this.failed ? 'failed ' : ''}reverse-i-search)'${this.query}': `;
  }

  /** The line shown (and accepted): the match, or the original line before anything matched. */
  get text(): string {
    return this.match ? this.match.entry : this.original.text;
  }

  get cursor(): number {
    return this.match ? this.match.at : this.original.cursor;
  }
}
