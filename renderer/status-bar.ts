/**
 * The status line under the terminal: session, its state, who is attached, the connection, and buttons for the
 * session menu and the theme. Plain DOM, updated in place; fields carry data-field so tests can read them.
 */
import type { Role, SessionState } from '../protocol/api-messages.js';
import type { LinkState } from './connection.js';

export interface StatusModel {
  sessionId: string | null;
  role: Role;
  state: SessionState | null;
  owners: number;
  observers: number;
  link: LinkState;
  linkDetail?: string;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text = ''): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = text;
  return node;
}

const LINK_LABEL: Record<LinkState, string> = {
  connecting: 'connecting…',
  connected: 'connected',
  reconnecting: 'reconnecting…',
  closed: 'session closed',
  failed: 'disconnected',
};

export class StatusBar {
  private readonly fields = new Map<string, HTMLElement>();
  readonly model: StatusModel;

  constructor(root: HTMLElement, role: Role, actions: { menu(): void; theme(): void }) {
    this.model = { sessionId: null, role, state: null, owners: 0, observers: 0, link: 'connecting' };
    root.replaceChildren();
    for (const name of ['link', 'session', 'state', 'clients']) {
      const field = el('span', `status-field status-${name}`);
      field.dataset.field = name;
      this.fields.set(name, field);
      root.append(field);
    }
    root.append(el('span', 'status-spacer'));
    const menu = el('button', 'status-button', 'Sessions');
    menu.title = 'Session menu (Ctrl+Shift+P)';
    menu.addEventListener('click', actions.menu);
    const theme = el('button', 'status-button', 'Theme');
    theme.title = 'Dark / light (Ctrl+Shift+L)';
    theme.addEventListener('click', actions.theme);
    root.append(menu, theme);
    this.render();
  }

  update(change: Partial<StatusModel>): void {
    Object.assign(this.model, change);
    this.render();
  }

  private set(name: string, text: string, title = text): void {
    const field = this.fields.get(name)!;
    if (field.textContent !== text) field.textContent = text;
    field.title = title;
  }

  private render(): void {
    const m = this.model;
    const link = this.fields.get('link')!;
    link.dataset.link = m.link;
    this.set('link', LINK_LABEL[m.link], m.linkDetail ? `${LINK_LABEL[m.link]}: ${m.linkDetail}` : LINK_LABEL[m.link]);
    this.set('session', m.sessionId ? `session ${m.sessionId.slice(0, 8)}${m.role === 'observer' ? ' (observing)' : ''}` : 'no session', m.sessionId ?? '');
    this.set('state', m.state ?? '—');
    this.fields.get('state')!.dataset.state = m.state ?? '';
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    this.set('clients', `${plural(m.owners, 'owner')} · ${plural(m.observers, 'observer')}`, 'who is attached to this session');
  }
}
