/** The typed client of the PyREPL3 API: REST (PyreplClient) and the session WebSocket (SessionSocket). */
export { PyreplApiError, isPyreplApiError } from './api-error.js';
export { PyreplClient, type ExecuteRequest, type PyreplClientOptions } from './rest-client.js';
export type * from './rest-types.js';
export { SessionSocket, wsUrl, type CloseInfo, type SessionHello, type SessionSocketOptions } from './ws-client.js';
export type { FetchLike, ResponseLike, WebSocketConstructor, WebSocketLike } from './transport.js';
export type {
  ExecuteBody,
  ExecuteResponse,
  JobInfo,
  OneShotBody,
  PendingInput,
  Role,
  SessionEventApi,
  SessionState,
  SessionSummary,
  WsClientMessage,
  WsServerMessage,
} from '../protocol/api-messages.js';
export { CLOSE_CODES } from '../protocol/limits.js';
