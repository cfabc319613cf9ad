/**
 * What a window shows: a new session, or an existing one as owner or observer. The renderer's Sessions dialog asks
 * for another window with a fragment (`#session=ID&role=observer`, `#new=1`: renderer/connection-spec.ts
 * fragmentFor); the shell reads the same fragment so that request becomes one of its own windows.
 */
export type Role = 'owner' | 'observer';

export interface WindowTarget {
  /** null: the renderer creates a new session. */
  sessionId: string | null;
  role: Role;
}

/** Session ids are the server's (uuid-like); anything else in a fragment is not one. */
const SESSION_ID_RE = /^[A-Za-z0-9_-]{1,128}$/;

export function parseAppFragment(hash: string): WindowTarget | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const role: Role = params.get('role') === 'observer' ? 'observer' : 'owner';
  const session = params.get('session');
  if (session !== null) return SESSION_ID_RE.test(session) ? { sessionId: session, role } : null;
  if (params.get('new') === '1' && role === 'owner') return { sessionId: null, role };
  return null;
}
