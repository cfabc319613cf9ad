/**
 * Cell history: ↑/↓ browsing and Ctrl+R search, kept in localStorage so it survives reloads. Owners and observers
 * keep separate lists (an observer page never mixes what it watched into the owner's recall). A whole multi-line cell
 * is one entry, so a recalled block comes back whole.
 */

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const MAX_ENTRIES = 1000;

export function historyKey(role: 'owner' | 'observer'): string {
  return `pyrepl.history.${role}`;
}

export class History {
  private list: string[] = [];
  /** Browsing position: list.length is the draft being typed. */
  private index = 0;
  private draft = '';

  constructor(
    private readonly storage: StorageLike | null,
    private readonly key: string,
    private readonly max = MAX_ENTRIES,
  ) {
    this.list = this.load();
    this.index = this.list.length;
  }

  get entries(): readonly string[] {
    return this.list;
  }

  private load(): string[] {
    try {
      const raw = this.storage?.getItem(this.key);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? parsed.filter((e): e is string => typeof e === 'string').slice(-this.max) : [];
    } catch {
      return []; // unreadable history (another version, hand edits) is not worth failing the REPL for
    }
  }

  private save(): void {
    try {
      this.storage?.setItem(this.key, JSON.stringify(this.list));
    } catch {
      /* storage full or disabled (private windows): history stays in memory */
    }
  }

  /** Adds a run cell (not blank, not a repeat of the newest) and ends browsing. */
  add(entry: string): void {
    const text = entry.replace(/\s+$/, '');
    if (text.trim() && this.list[this.list.length - 1] !== text) {
      // Another tab of the same role may have added entries since we loaded.
      const merged = this.load();
      this.list = merged.length >= this.list.length ? merged : this.list;
      this.list.push(text);
      if (this.list.length > this.max) this.list.splice(0, this.list.length - this.max);
      this.save();
    }
    this.reset();
  }

  reset(): void {
    this.index = this.list.length;
    this.draft = '';
  }

  get browsing(): boolean {
    return this.index < this.list.length;
  }

  /** ↑: the previous entry, remembering `current` as the draft; null at the oldest. */
  previous(current: string): string | null {
    if (this.index === 0) return null;
    if (this.index === this.list.length) this.draft = current;
    return this.list[--this.index]!;
  }

  /** ↓: the next entry, or the draft back when past the newest; null when not browsing. */
  next(): string | null {
    if (this.index >= this.list.length) return null;
    this.index++;
    return this.index === this.list.length ? this.draft : this.list[this.index]!;
  }

  /**
   * The newest entry at or before `from` containing `query` (Ctrl+R), with where the match is. `from` defaults to
   * the newest entry.
   */
  search(query: string, from = this.list.length - 1): { index: number; entry: string; at: number } | null {
    for (let i = Math.min(from, this.list.length - 1); i >= 0; i--) {
      const at = this.list[i]!.lastIndexOf(query);
      if (at >= 0) return { index: i, entry: this.list[i]!, at };
    }
    return null;
  }
}
