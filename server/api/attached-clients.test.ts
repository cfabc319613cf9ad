import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OutputEncoding, Role, WsServerMessage } from '../../protocol/api-messages.js';
import { AttachedClients, type SessionClient } from './attached-clients.js';
import type { LoggedEvent } from './event-log.js';

class FakeClient implements SessionClient {
  readonly sent: WsServerMessage[] = [];
  readonly delivered: LoggedEvent[] = [];
  busy = false;
  closed: string | null = null;
  flushes = 0;
  private waiters: (() => void)[] = [];
  constructor(
    readonly role: Role,
    readonly encoding: OutputEncoding = 'json',
  ) {}
  deliver(entry: LoggedEvent): void {
    this.delivered.push(entry);
  }
  congested(): boolean {
    return this.busy;
  }
  whenUncongested(): Promise<void> {
    return this.busy ? new Promise((resolve) => this.waiters.push(resolve)) : Promise.resolve();
  }
  drain(): void {
    this.busy = false;
    for (const w of this.waiters.splice(0)) w();
  }
  flush(): void {
    this.flushes += 1;
  }
  send(message: WsServerMessage): void {
    this.sent.push(message);
  }
  close(_code: number, reason: string): void {
    this.closed = reason;
  }
}

test('output is logged in binary only while every attached client takes binary', () => {
  const clients = new AttachedClients('s-1', 100);
  assert.equal(clients.outputEncoding(), 'json', 'nobody attached: JSON (what a replay to a script needs)');
  const bin = new FakeClient('owner', 'binary');
  const json = new FakeClient('observer', 'json');
  clients.add(bin);
  assert.equal(clients.outputEncoding(), 'binary');
  clients.add(json);
  assert.equal(clients.outputEncoding(), 'json');
  assert.equal(clients.add(json), false, 'a second add changes nothing');
  clients.delete(json);
  assert.equal(clients.outputEncoding(), 'binary');
  assert.equal(clients.delete(json), false);
  clients.closeAll(4000, 'bye');
  assert.equal(bin.closed, 'bye');
  assert.equal(clients.size, 0);
  assert.equal(clients.outputEncoding(), 'json');
});

test('counts and announcements say who is attached, to everyone but the one named', () => {
  const clients = new AttachedClients('s-1', 100);
  const owner = new FakeClient('owner');
  const o1 = new FakeClient('observer');
  const o2 = new FakeClient('observer');
  for (const c of [owner, o1, o2]) clients.add(c);
  assert.deepEqual(clients.counts(), { owners: 1, observers: 2 });
  clients.announce(o2);
  assert.deepEqual(owner.sent, [{ type: 'clients', session_id: 's-1', owners: 1, observers: 2 }]);
  assert.equal(o1.sent.length, 1);
  assert.equal(o2.sent.length, 0);
});

test('an execution waits for a congested owner, not for a congested observer, and resumes when the owner drains', async () => {
  const clients = new AttachedClients('s-1', 60_000);
  const owner = new FakeClient('owner');
  const observer = new FakeClient('observer');
  clients.add(owner);
  clients.add(observer);
  observer.busy = true;
  assert.equal(clients.ownersCongested(), false, 'observers never hold anything back');
  owner.busy = true;
  assert.equal(clients.ownersCongested(), true);
  let resumed = false;
  const wait = clients.ownersUncongested().then(() => (resumed = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(resumed, false);
  owner.drain();
  await wait;
  assert.equal(clients.ownersCongested(), false);
});

test('the backstop looks again even if a congested owner never says it drained', async () => {
  const clients = new AttachedClients('s-1', 5);
  const owner = new FakeClient('owner');
  owner.busy = true;
  clients.add(owner);
  await clients.ownersUncongested(); // resolves through the backstop; the caller then asks ownersCongested() again
  assert.equal(clients.ownersCongested(), true);
});
