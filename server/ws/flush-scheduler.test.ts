import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { FlushScheduler, type Flushable } from './flush-scheduler.js';

/** A client that counts its flushes and, like WsClient, tells the scheduler when it flushed. */
class Counting implements Flushable {
  flushes = 0;
  scheduler!: FlushScheduler;
  flush(): void {
    this.flushes += 1;
    this.scheduler.forget(this);
  }
}

function setup(windowMs = 3): { scheduler: FlushScheduler; clock: { t: number }; clients: (n: number) => Counting[] } {
  mock.timers.enable({ apis: ['setTimeout', 'setImmediate'] });
  const clock = { t: 1000 };
  const scheduler = new FlushScheduler(windowMs, () => clock.t);
  const clients = (n: number): Counting[] =>
    Array.from({ length: n }, () => {
      const c = new Counting();
      c.scheduler = scheduler;
      return c;
    });
  return { scheduler, clock, clients };
}

/** Advances the mocked clock and timers together. */
function advance(clock: { t: number }, ms: number): void {
  clock.t += ms;
  mock.timers.tick(ms);
}

test('clients due at the end of the turn are flushed once each, together, and not before', (t) => {
  t.after(() => mock.timers.reset());
  const { scheduler, clients } = setup();
  const [a, b] = clients(2);
  scheduler.endOfTurn(a!);
  scheduler.endOfTurn(b!);
  scheduler.endOfTurn(a!);
  assert.deepEqual([a!.flushes, b!.flushes], [0, 0], 'nothing leaves within the turn');
  mock.timers.tick(0);
  assert.deepEqual([a!.flushes, b!.flushes], [1, 1]);
});

test('a client with only deferrable frames is flushed when its window ends, not at the end of the turn', (t) => {
  t.after(() => mock.timers.reset());
  const { scheduler, clock, clients } = setup(3);
  const [a] = clients(1);
  scheduler.withinWindow(a!);
  advance(clock, 2);
  assert.equal(a!.flushes, 0);
  advance(clock, 1);
  assert.equal(a!.flushes, 1);
  advance(clock, 10);
  assert.equal(a!.flushes, 1, 'once');
});

test('a frame that cannot wait brings the flush forward, and the window then flushes nothing more', (t) => {
  t.after(() => mock.timers.reset());
  const { scheduler, clock, clients } = setup(3);
  const [a] = clients(1);
  scheduler.withinWindow(a!);
  scheduler.endOfTurn(a!);
  mock.timers.tick(0);
  assert.equal(a!.flushes, 1);
  advance(clock, 10);
  assert.equal(a!.flushes, 1);
});

test('a client that joins a running window gets its own whole window, and an early flush is not repeated', (t) => {
  t.after(() => mock.timers.reset());
  const { scheduler, clock, clients } = setup(3);
  const [a, b, c] = clients(3);
  scheduler.withinWindow(a!);
  advance(clock, 2);
  scheduler.withinWindow(b!);
  scheduler.withinWindow(c!);
  c!.flush(); // flushed by itself (the session went idle): nothing is due for it any more
  advance(clock, 1);
  assert.deepEqual([a!.flushes, b!.flushes, c!.flushes], [1, 0, 1], 'a at its deadline; b not yet');
  advance(clock, 2);
  assert.deepEqual([a!.flushes, b!.flushes, c!.flushes], [1, 1, 1], 'b at its own deadline');
  advance(clock, 10);
  assert.deepEqual([a!.flushes, b!.flushes, c!.flushes], [1, 1, 1]);
});
