/**
 * The runtime core as it ships: tsc's output in dist/ (`npm run bench` builds it first), not the sources through tsx.
 * tsx's transform keeps function names with a helper call on every closure it creates, which cost about 5 µs of a
 * 50 µs round trip here: a cost of the bench's loader, not of the product. Types come from the sources.
 */
import type * as PoolModule from '../server/session/pool.js';
import type * as SessionModule from '../server/session/session.js';

const dist = (file: string): string => new URL(`../dist/server/session/${file}`, import.meta.url).href;

export const { Session } = (await import(dist('session.js'))) as typeof SessionModule;
export type Session = SessionModule.Session;
export const { SessionPool } = (await import(dist('pool.js'))) as typeof PoolModule;
export type SessionPool = PoolModule.SessionPool;
