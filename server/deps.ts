/** What the HTTP routes and the WebSocket gateway share: built once by the server, passed explicitly. */
import type { Logger } from 'pino';
import type { JobStore } from './api/job-store.js';
import type { SessionManager } from './api/session-manager.js';
import type { ServerConfig } from './config.js';
import type { SecurityPolicy } from './http/security.js';
import type { Metrics } from './metrics.js';
import type { SessionPool } from './session/pool.js';

export interface ServerDeps {
  config: ServerConfig;
  pool: SessionPool;
  manager: SessionManager;
  jobs: JobStore;
  metrics: Metrics;
  policy: SecurityPolicy;
  log: Logger;
  /** The server's own URL, once listening. */
  url(): string;
}
