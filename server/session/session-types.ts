/** What a session says about itself: its states, its pending input request, its info() record. */

/** starting → idle ⇄ busy ⇄ waiting_input; any → dead (worker died); any → closed (close() or exit()). */
export type SessionState = 'starting' | 'idle' | 'busy' | 'waiting_input' | 'dead' | 'closed';

export interface PendingInput {
  execution_id: string;
  token: string;
  prompt: string;
  password: boolean;
}

export interface SessionInfo {
  session_id: string;
  state: SessionState;
  created_at: string;
  last_activity: string;
  execution_count: number;
  queue_length: number;
  pending_input: PendingInput | null;
  pid: number | null;
  python_version: string | null;
  python: string;
}
