/**
 * The session menu (Ctrl+Shift+P or the status bar's button): the server's open sessions (GET /sessions), a new
 * session, and opening any of them as owner or observer in a new tab. A native <dialog>: Tab moves between buttons,
 * ↑/↓ between rows, Esc closes, focus returns to the terminal.
 */
import type { PyreplClient, SessionSummary } from '../client/index.js';
import type { Role } from '../protocol/api-messages.js';
import { fragmentFor } from './connection-spec.js';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text = ''): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = text;
  return node;
}

export class SessionMenu {
  private readonly dialog: HTMLDialogElement;
  private readonly list: HTMLElement;
  private readonly message: HTMLElement;

  constructor(
    private readonly client: PyreplClient,
    private readonly currentSession: () => string | null,
    private readonly onClose: () => void,
  ) {
    this.dialog = el('dialog', 'session-menu');
    this.dialog.setAttribute('aria-label', 'Sessions');
    const title = el('h2', 'session-menu-title', 'Sessions');
    this.message = el('p', 'session-menu-message');
    this.list = el('ul', 'session-list');
    const footer = el('div', 'session-menu-footer');
    footer.append(this.button('New session', () => this.open(null, 'owner'), 'new-session'), this.button('Close', () => this.dialog.close(), 'close'));
    this.dialog.append(title, this.message, this.list, footer);
    this.dialog.addEventListener('close', () => this.onClose());
    this.dialog.addEventListener('keydown', (event) => this.arrowKeys(event));
    document.body.append(this.dialog);
  }

  get isOpen(): boolean {
    return this.dialog.open;
  }

  async show(): Promise<void> {
    if (!this.dialog.open) this.dialog.showModal();
    this.message.textContent = 'Loading…';
    this.list.replaceChildren();
    try {
      const sessions = await this.client.listSessions();
      this.render(sessions);
    } catch (error) {
      this.message.textContent = `Could not list sessions: ${(error as Error).message}`;
    }
    (this.list.querySelector('button') ?? this.dialog.querySelector('button'))?.focus();
  }

  private render(sessions: SessionSummary[]): void {
    const current = this.currentSession();
    this.message.textContent = sessions.length === 0 ? 'No open sessions.' : `${sessions.length} open session${sessions.length === 1 ? '' : 's'}:`;
    for (const s of sessions) {
      const row = el('li', 'session-row');
      row.dataset.sessionId = s.session_id;
      const label = el('span', 'session-label', `${s.session_id.slice(0, 8)}${s.session_id === current ? ' (this tab)' : ''}`);
      label.title = s.session_id;
      const details = el(
        'span',
        'session-details',
        `${s.state} · ${s.execution_count} run${s.execution_count === 1 ? '' : 's'} · ${s.clients.owners}+${s.clients.observers} attached · since ${new Date(s.created_at).toLocaleTimeString()}`,
      );
      row.append(label, details, this.button('Open', () => this.open(s.session_id, 'owner'), 'open'), this.button('Observe', () => this.open(s.session_id, 'observer'), 'observe'));
      this.list.append(row);
    }
  }

  private button(text: string, action: () => void, name: string): HTMLButtonElement {
    const button = el('button', `menu-button menu-${name}`, text);
    button.type = 'button';
    button.addEventListener('click', action);
    return button;
  }

  /** A new tab on this page with the session in the fragment (the auth cookie is shared, no token needed). */
  private open(sessionId: string | null, role: Role): void {
    window.open(`${location.origin}/${fragmentFor(sessionId, role)}`, '_blank', 'noopener');
    this.dialog.close();
  }

  private arrowKeys(event: KeyboardEvent): void {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = [...this.dialog.querySelectorAll('button')];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    // ↑/↓ move between rows, keeping the column (Open / Observe).
    const row = (document.activeElement as HTMLElement | null)?.closest('.session-row');
    const column = row ? [...row.querySelectorAll('button')].indexOf(document.activeElement as HTMLButtonElement) : 0;
    const rows = [...this.list.querySelectorAll('.session-row')];
    const rowIndex = row ? rows.indexOf(row) : -1;
    const nextRow = rows[rowIndex + (event.key === 'ArrowDown' ? 1 : -1)];
    const target = nextRow ? nextRow.querySelectorAll('button')[Math.max(0, column)] : buttons[(at + (event.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length];
    (target as HTMLButtonElement | undefined)?.focus();
    event.preventDefault();
  }
}
