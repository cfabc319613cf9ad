/**
 * What the REPL controller needs from the session: the WebSocket requests, as a narrow interface so the controller
 * can be driven by a fake in unit tests. connection.ts implements it over the typed client's SessionSocket.
 */
export interface CompleteAnswer {
  matches: string[];
  /** Code point offsets into the code (Python's indexing). */
  cursor_start: number;
  cursor_end: number;
}

export interface IsCompleteAnswer {
  status: 'complete' | 'incomplete' | 'invalid';
  indent: string;
}

export interface ReplBackend {
  readonly connected: boolean;
  readonly sessionId: string | null;
  execute(code: string): Promise<void>;
  answerInput(token: string, data: string): Promise<void>;
  interrupt(): void;
  complete(code: string, cursor: number): Promise<CompleteAnswer>;
  isComplete(code: string): Promise<IsCompleteAnswer>;
  closeSession(): Promise<void>;
  /** A fresh worker for a dead session (REST restart). */
  restart(): Promise<void>;
}

/** A request the server refused (it carries an API error code), as opposed to a connection that dropped. */
export function isRefusal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && typeof (error as { code: unknown }).code === 'string';
}
