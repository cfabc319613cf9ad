/**
 * Answers of the REST API that the protocol has as zod schemas but not as named types, plus the few small answers the
 * server's routes define inline (server/http/routes/sessions.ts); restated here because the client may not import
 * server/. The route tests of the client fail if these drift from what the server sends.
 */
import type { z } from 'zod';
import type {
  CompleteResponse,
  HealthResponse,
  IsCompleteResponse,
  NamespaceResponse,
} from '../protocol/api-messages.js';

export type CompleteResult = z.infer<typeof CompleteResponse>;
export type IsCompleteResult = z.infer<typeof IsCompleteResponse>;
export type NamespaceResult = z.infer<typeof NamespaceResponse>;
export type HealthResult = z.infer<typeof HealthResponse>;

/** 202 of POST /sessions/{id}/jobs (and of execute with "async": true). */
export interface JobAccepted {
  job_id: string;
  execution_id: string;
  session_id: string;
}

/** DELETE /sessions/{id}. */
export interface ClosedSession {
  session_id: string;
  state: 'closed';
}

/** POST /sessions/{id}/interrupt: whether something was running. */
export interface Interrupted {
  interrupted: boolean;
}

/** Input answers and POST /auth. */
export interface Ack {
  ok: true;
}
