/**
 * The API server: one HTTP server and one port for REST (Koa) and the WebSocket (ws), over a session pool.
 * `startServer(config)` is what `pyrepl serve` runs headless and what the desktop app runs in-process.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import { pino, type Logger } from 'pino';
import { PyreplError } from '../protocol/errors.js';
import { JobStore } from './api/job-store.js';
import { SessionManager } from './api/session-manager.js';
import type { ServerConfig } from './config.js';
import { API_TUNABLES } from './api/tunables.js';
import type { ServerDeps } from './deps.js';
import { errorMiddleware } from './http/error-middleware.js';
import { buildOpenApi, buildWsSchema } from './http/openapi.js';
import type { RouteSpec } from './http/route.js';
import { runRoute } from './http/route.js';
import { sessionRoutes } from './http/routes/sessions.js';
import { systemRoutes } from './http/routes/system.js';
import { staticMiddleware } from './http/static.js';
import { securityMiddleware, type SecurityPolicy } from './http/security.js';
import { trackMetrics } from './metrics-tracking.js';
import { Metrics } from './metrics.js';
import { SessionPool } from './session/pool.js';
import { WsGateway } from './ws/gateway.js';

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  token: string;
  deps: ServerDeps;
  routes: RouteSpec[];
  http: Server;
  /** Stops accepting, closes every session (close → SIGTERM → SIGKILL) and the pool. Idempotent. */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Where the worker runtime lives (packaged apps). */
  runtimeDir?: string;
  version?: string;
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.logger ?? pino({ level: config.logLevel }, pino.destination(2));
  const pool = new SessionPool({
    minIdle: config.minIdle,
    maxSessions: config.maxSessions,
    acquireTimeoutMs: config.acquireTimeout * 1000,
    session: {
      ...(config.python ? { pythonSources: { explicit: config.python } } : {}),
      ...(options.runtimeDir ? { runtimeDir: options.runtimeDir } : {}),
      memoryLimitMb: config.memoryLimitMb,
      outputLimitBytes: config.outputLimitBytes,
      maxQueuedExecutions: config.maxQueued + 1,
    },
  });
  pool.on('start_failed', (err) => log.error({ err: err.message }, 'a Python worker failed to start'));
  pool.on('replaced', (s, why) => log.warn({ session: s.id, why }, 'replaced an unhealthy idle worker'));
  const metrics = new Metrics();
  const manager = new SessionManager(pool, {
    session: {
      log: { maxEvents: API_TUNABLES.replayBufferEvents, maxBytes: config.replayBufferBytes },
      outputFlushMs: API_TUNABLES.outputFlushMs,
      outputBatchBytes: API_TUNABLES.outputBatchBytes,
      maxQueued: config.maxQueued,
      congestionRecheckMs: API_TUNABLES.congestionRecheckMs,
    },
    idleTimeoutMs: config.idleTimeout * 1000,
    cullIntervalMs: Math.min(API_TUNABLES.cullIntervalMs, Math.max(250, (config.idleTimeout * 1000) / 4)),
    tombstones: API_TUNABLES.tombstones,
    acquireTimeoutMs: config.acquireTimeout * 1000,
  });
  trackMetrics(manager, metrics);
  const jobs = new JobStore({ ttlMs: config.jobTtl * 1000, maxFinished: config.maxJobs });

  let port = config.port;
  const policy: SecurityPolicy = {
    port: () => port,
    token: config.token,
    cookieSecret: randomBytes(32).toString('hex'),
    allowOrigins: config.allowOrigins,
    allowHosts: config.allowHosts.map((h) => h.toLowerCase()),
  };
  const urlHost = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  const deps: ServerDeps = { config, pool, manager, jobs, metrics, policy, log, url: () => `http://${urlHost}:${port}` };

  let routes: RouteSpec[] = [];
  let openapi: object | null = null;
  const version = options.version ?? '0.1.0';
  routes = [
    ...systemRoutes(deps, { openapi: () => (openapi ??= buildOpenApi(routes, version)), wsSchema: buildWsSchema }),
    ...sessionRoutes(deps),
  ];

  const app = new Koa();
  app.proxy = false;
  app.silent = true;
  app.use(errorMiddleware(log));
  app.use(securityMiddleware(policy));
  app.use(staticMiddleware());
  app.use(requireJsonBody);
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: config.maxBodyBytes,
      encoding: 'utf-8',
      onError: (err) => {
        throw err;
      },
    }),
  );
  app.use(async (ctx, next) => {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) throw new PyreplError('not_found', 'No such endpoint. See GET /openapi.json.');
  });
  const router = new Router();
  for (const route of routes) router[route.method](route.path, runRoute(route));
  app.use(router.routes());
  app.use(
    router.allowedMethods({
      throw: true,
      methodNotAllowed: () => new PyreplError('method_not_allowed', 'This endpoint does not accept that method.'),
      notImplemented: () => new PyreplError('method_not_allowed', 'Method not supported.'),
    }),
  );

  const http = createServer({ maxHeaderSize: 16 * 1024 }, app.callback());
  http.requestTimeout = 0; // a synchronous execute may legitimately run for a long time
  const gateway = new WsGateway(http, {
    manager,
    policy,
    metrics,
    maxMessageBytes: config.maxBodyBytes,
    flushWindowMs: API_TUNABLES.flushWindowMs,
    // A client that attaches is sent the replay it asked for whole (up to the replay buffer), so it gets that much
    // room above the hard limit: only a client that then falls that far behind live events is too slow.
    limits: { ...API_TUNABLES.wsLimits, hardLimit: API_TUNABLES.wsLimits.hardLimit + config.replayBufferBytes },
  });

  await pool.start();
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  port = (http.address() as AddressInfo).port;
  log.info({ url: deps.url() }, 'PyREPL3 API server listening');

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      // Sessions first, so their clients get session_closed before the sockets go.
      await manager.closeAll('server shutting down');
      gateway.close();
      await pool.shutdown();
      http.closeAllConnections();
      await closed;
      log.info('PyREPL3 API server stopped');
    })());

  return { url: deps.url(), port, host: config.host, token: config.token, deps, routes, http, close };
}

/** A request with a body must say it is JSON (415 otherwise), so a form post from a web page never reaches a route. */
async function requireJsonBody(ctx: Koa.Context, next: Koa.Next): Promise<void> {
  const hasBody = Number(ctx.get('content-length') || 0) > 0 || ctx.get('transfer-encoding') !== '';
  if (hasBody && ctx.method !== 'GET' && !ctx.is('application/json', '+json')) {
    throw new PyreplError('unsupported_media_type', 'The request body must be application/json.');
  }
  await next();
}
