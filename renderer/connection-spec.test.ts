import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fragmentFor, readConnectionSpec, rememberTabSession } from './connection-spec.js';

function fakeWindow(href: string, injected?: object) {
  const url = new URL(href);
  const store = new Map<string, string>();
  const replaced: string[] = [];
  const win = {
    location: { hash: url.hash, pathname: url.pathname, search: url.search, origin: url.origin },
    history: { replaceState: (_s: unknown, _t: string, to: string) => replaced.push(to) },
    sessionStorage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => store.set(k, v), removeItem: (k: string) => store.delete(k) },
    ...(injected ? { pyreplConnection: injected } : {}),
  };
  return { win: win as unknown as Window, replaced, store };
}

test('the fragment gives token, session and role, and is removed from the address bar at once', () => {
  const { win, replaced } = fakeWindow('http://127.0.0.1:8080/#token=abc&session=s1&role=observer');
  assert.deepEqual(readConnectionSpec(win), { baseUrl: 'http://127.0.0.1:8080', token: 'abc', sessionId: 's1', role: 'observer' });
  assert.deepEqual(replaced, ['/']);
});

test('the desktop preload wins over the fragment', () => {
  const { win } = fakeWindow('http://127.0.0.1:8080/#session=frag', { token: 't', sessionId: 'injected', baseUrl: 'http://127.0.0.1:9/' });
  assert.deepEqual(readConnectionSpec(win), { baseUrl: 'http://127.0.0.1:9', token: 't', sessionId: 'injected', role: 'owner' });
});

test('a reload without a fragment comes back to the tab\'s session, never with a token', () => {
  const { win, store } = fakeWindow('http://127.0.0.1:8080/');
  rememberTabSession(win, 's9', 'owner');
  assert.ok(![...store.values()].some((v) => v.includes('token')));
  assert.deepEqual(readConnectionSpec(win), { baseUrl: 'http://127.0.0.1:8080', token: undefined, sessionId: 's9', role: 'owner' });
  const fresh = fakeWindow('http://127.0.0.1:8080/#new=1');
  fresh.store.set('pyrepl.tab-session', JSON.stringify({ sessionId: 'old', role: 'owner' }));
  assert.equal(readConnectionSpec(fresh.win).sessionId, undefined); // a fragment means: exactly this
});

test('links the session menu opens', () => {
  assert.equal(fragmentFor('s1', 'observer'), '#session=s1&role=observer');
  assert.equal(fragmentFor('s1', 'owner'), '#session=s1');
  assert.equal(fragmentFor(null, 'owner'), '#new=1');
});

test('the desktop app hears which session the window shows (and a cleared one), via the preload bridge', () => {
  const { win } = fakeWindow('http://127.0.0.1:8080/');
  const told: [string | null, string][] = [];
  (win as unknown as { pyreplShell: unknown }).pyreplShell = { sessionChanged: (id: string | null, role: string) => told.push([id, role]) };
  rememberTabSession(win, 's1', 'observer');
  rememberTabSession(win, null, 'owner');
  assert.deepEqual(told, [['s1', 'observer'], [null, 'owner']]);
  (win as unknown as { pyreplShell: unknown }).pyreplShell = { sessionChanged: () => { throw new Error('gone'); } };
  assert.doesNotThrow(() => rememberTabSession(win, 's2', 'owner')); // a closing window's bridge must not break the page
});
