/**
 * The typed REST client: one method per endpoint of the API (docs/api.md), bodies and answers typed by the protocol's
 * schemas. Every non-2xx answer throws PyreplApiError with the server's error code, so callers branch on `code`.
 *
 *   const client = new PyreplClient({ baseUrl: 'http://127.0.0.1:8080', token });
 *   const { session_id } = await client.createSession();
 *   const run = await client.execute(session_id, { code: 'print(6 * 7)' });   // run.stdout === '42\n'
 */
import type {
  ExecuteBody,
  ExecuteResponse,
  JobInfo,
  OneShotBody,
  SessionSummary,
} from '../protocol/api-messages.js';
import { PyreplApiError } from './api-error.js';
import type { FetchLike, ResponseLike } from './transport.js';
import type {
  Ack,
  ClosedSession,
  CompleteResult,
  HealthResult,
  Interrupted,
  IsCompleteResult,
  JobAccepted,
  NamespaceResult,
} from './rest-types.js';

export interface PyreplClientOptions {
  /** The server's URL, e.g. http://127.0.0.1:8080 (`npx pyrepl info` prints it). */
  baseUrl: string;
  /** The API token. Leave it out in a page that authenticated with POST /auth: the cookie is sent instead. */
  token?: string;
  /** Defaults to the global fetch (browsers, Node 18+). */
  fetch?: FetchLike;
}

/** An execution's body for the synchronous call; `async` has its own method (startJob), so it is not accepted here. */
export type ExecuteRequest = Omit<ExecuteBody, 'async'>;

export class PyreplClient {
  readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly fetchImpl: FetchLike;

  constructor(options: PyreplClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    const globalFetch = (globalThis as { fetch?: FetchLike }).fetch;
    const chosen = options.fetch ?? globalFetch;
    if (!chosen) throw new TypeError('PyreplClient: no fetch here; pass one in the options.');
    // Bound: a browser's fetch called with another `this` throws "Illegal invocation".
    this.fetchImpl = options.fetch ?? ((url, init) => chosen.call(globalThis, url, init));
  }

  // ------------------------------------------------------------------------------------------------ sessions

  createSession(): Promise<SessionSummary> {
    return this.json('POST', '/sessions');
  }

  listSessions(): Promise<SessionSummary[]> {
    return this.json('GET', '/sessions');
  }

  getSession(sessionId: string): Promise<SessionSummary> {
    return this.json('GET', `/sessions/${enc(sessionId)}`);
  }

  /** Aborts queued executions, tells attached clients and ends the worker. */
  closeSession(sessionId: string): Promise<ClosedSession> {
    return this.json('DELETE', `/sessions/${enc(sessionId)}`);
  }

  /** Stops the running execution (KeyboardInterrupt); `interrupted` is false when nothing was running. */
  interrupt(sessionId: string): Promise<Interrupted> {
    return this.json('POST', `/sessions/${enc(sessionId)}/interrupt`);
  }

  /** A fresh worker under the same id: the namespace is emptied, queued executions are aborted. */
  restart(sessionId: string): Promise<SessionSummary> {
    return this.json('POST', `/sessions/${enc(sessionId)}/restart`);
  }

  // ------------------------------------------------------------------------------------------------ execution

  /**
   * Runs code and waits for it. `stdin` lines answer input() in order; past them input() raises EOFError. Failures
   * of the code itself are not thrown: they are `status: "error"` with `error` set.
   */
  execute(sessionId: string, body: ExecuteRequest): Promise<ExecuteResponse> {
    return this.json('POST', `/sessions/${enc(sessionId)}/execute`, body);
  }

  /** Queues code as an async job and returns at once; poll getJob. Input without stdin lines waits for answerJobInput. */
  startJob(sessionId: string, body: ExecuteRequest): Promise<JobAccepted> {
    return this.json('POST', `/sessions/${enc(sessionId)}/jobs`, body);
  }

  getJob(jobId: string): Promise<JobInfo> {
    return this.json('GET', `/jobs/${enc(jobId)}`);
  }

  /** Answers the job's pending input request (its `pending_input.token`). */
  answerJobInput(jobId: string, token: string, data: string): Promise<Ack> {
    return this.json('POST', `/jobs/${enc(jobId)}/input`, { token, data });
  }

  /** Answers the session's pending input request, whoever started the execution (a job, a WebSocket owner). */
  answerInput(sessionId: string, token: string, data: string): Promise<Ack> {
    return this.json('POST', `/sessions/${enc(sessionId)}/input`, { token, data });
  }

  /** Runs code in a fresh session that is destroyed afterwards: nothing survives between calls. */
  executeOnce(body: OneShotBody): Promise<ExecuteResponse> {
    return this.json('POST', '/execute', body);
  }

  // ------------------------------------------------------------------------------------------------ introspection

  /** Completions at `cursor` (default: the end of `code`). */
  complete(sessionId: string, code: string, cursor?: number): Promise<CompleteResult> {
    return this.json('POST', `/sessions/${enc(sessionId)}/complete`, cursor === undefined ? { code } : { code, cursor });
  }

  /** complete / incomplete (with the indent to continue with) / invalid, as a console decides whether to run. */
  isComplete(sessionId: string, code: string): Promise<IsCompleteResult> {
    return this.json('POST', `/sessions/${enc(sessionId)}/is_complete`, { code });
  }

  namespace(sessionId: string): Promise<NamespaceResult> {
    return this.json('GET', `/sessions/${enc(sessionId)}/namespace`);
  }

  // ------------------------------------------------------------------------------------------------ system

  /** Liveness and pool capacity; needs no token. */
  health(): Promise<HealthResult> {
    return this.json('GET', '/health');
  }

  /** Prometheus text format. */
  async metricsText(): Promise<string> {
    return (await this.request('GET', '/metrics')).text();
  }

  // ------------------------------------------------------------------------------------------------ plumbing

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const text = await (await this.request(method, path, body)).text();
    return JSON.parse(text) as T;
  }

  private async request(method: string, path: string, body?: unknown): Promise<ResponseLike> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.token !== undefined) headers.Authorization = `Bearer ${this.token}`;
    // The server refuses a body that is not JSON (415), and sends none for bodiless POSTs: send no Content-Type then.
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await this.fetchImpl(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw PyreplApiError.fromResponse(response.status, await response.text());
    return response;
  }
}

function enc(id: string): string {
  return encodeURIComponent(id);
}
