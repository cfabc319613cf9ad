/**
 * The clients attached to one session (owners and observers, WebSocket connections in practice) as a group: who is
 * there, the encoding the session's output is logged in for them, delivering each logged event to every one, and the
 * flow-control question the running execution asks (is an owner congested, and when is it not).
 */
import type { OutputEncoding, Role, WsServerMessage } from '../../protocol/api-messages.js';
import type { LoggedEvent } from './event-log.js';

/** One attached client, as the session sees it. */
export interface SessionClient {
  readonly role: Role;
  /** How it takes output events: JSON text frames or binary frames. */
  readonly encoding: OutputEncoding;
  deliver(entry: LoggedEvent): void;
  /** True while this client cannot take more right now (its socket buffer is above the high watermark). */
  congested(): boolean;
  /** Resolves once congested() is false (at once when it already is). */
  whenUncongested(): Promise<void>;
  /** Sends what it holds back now: the session has nothing more to say for a while (an execution ended or waits). */
  flush(): void;
  /** A message to this client only (no seq, not logged). */
  send(message: WsServerMessage): void;
  close(code: number, reason: string): void;
}

export class AttachedClients implements Iterable<SessionClient> {
  private readonly clients = new Set<SessionClient>();
  /** How many of the clients take output in binary frames. */
  private binary = 0;

  constructor(
    private readonly sessionId: string,
    /** While an owner is congested, look again after this long even if it did not say it drained (a backstop). */
    private readonly congestionRecheckMs: number,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  [Symbol.iterator](): Iterator<SessionClient> {
    return this.clients[Symbol.iterator]();
  }

  /** False when it was already attached. */
  add(client: SessionClient): boolean {
    if (this.clients.has(client)) return false;
    this.clients.add(client);
    if (client.encoding === 'binary') this.binary += 1;
    return true;
  }

  /** False when it was not attached. */
  delete(client: SessionClient): boolean {
    if (!this.clients.delete(client)) return false;
    if (client.encoding === 'binary') this.binary -= 1;
    return true;
  }

  /** Closes every client's connection and forgets them all. */
  closeAll(code: number, reason: string): void {
    for (const client of this.clients) client.close(code, reason);
    this.clients.clear();
    this.binary = 0;
  }

  counts(): { owners: number; observers: number } {
    let owners = 0;
    for (const c of this.clients) if (c.role === 'owner') owners += 1;
    return { owners, observers: this.clients.size - owners };
  }

  /** Tells every client but `except` who is attached now (a status line's "watching" count stays live). */
  announce(except: SessionClient | null): void {
    const { owners, observers } = this.counts();
    for (const client of this.clients) {
      if (client !== except) client.send({ type: 'clients', session_id: this.sessionId, owners, observers });
    }
  }

  /**
   * Output is logged in the encoding its clients take: binary when every attached client takes binary (the JSON frame
   * is then never needed unless someone asks for a replay in JSON), JSON otherwise, the binary frame then made on demand.
   */
  outputEncoding(): OutputEncoding {
    return this.binary > 0 && this.binary === this.clients.size ? 'binary' : 'json';
  }

  deliver(entry: LoggedEvent): void {
    for (const client of this.clients) client.deliver(entry);
  }

  flush(): void {
    for (const client of this.clients) client.flush();
  }

  ownersCongested(): boolean {
    for (const client of this.clients) if (client.role === 'owner' && client.congested()) return true;
    return false;
  }

  /** Resolves when one of the congested owners can take more (or closes), or at the backstop, to look again. */
  ownersUncongested(): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const client of this.clients) if (client.role === 'owner' && client.congested()) waits.push(client.whenUncongested());
    if (waits.length === 0) return Promise.resolve();
    let backstop: NodeJS.Timeout | undefined;
    waits.push(new Promise((resolve) => (backstop = setTimeout(resolve, this.congestionRecheckMs))));
    return Promise.race(waits).finally(() => clearTimeout(backstop));
  }
}
