/** REST: health, metrics, the one-shot execute, auth cookie exchange, and the published API descriptions. */
import { z } from 'zod';
import { ExecuteResponse, HealthResponse, OneShotBody } from '../../../protocol/api-messages.js';
import { PyreplError } from '../../../protocol/errors.js';
import type { ServerDeps } from '../../deps.js';
import { defineRoute, type RouteSpec } from '../route.js';
import { AUTH_COOKIE, safeEqual } from '../security.js';

export function systemRoutes(deps: ServerDeps, describe: { openapi: () => object; wsSchema: () => object }): RouteSpec[] {
  const { pool, manager, metrics, config } = deps;
  return [
    defineRoute({
      method: 'get', path: '/health', tag: 'system', public: true, summary: 'Liveness and pool capacity (no token needed)',
      responses: { 200: { description: 'Health', schema: HealthResponse } },
      handler: (ctx) => {
        const stats = pool.stats();
        // Degraded: the pool should hold warm sessions but has none and is not starting any (workers fail to start).
        const degraded = config.minIdle > 0 && stats.total === 0 && stats.starting === 0;
        ctx.body = { status: degraded ? 'degraded' : 'ok', pool: stats };
      },
    }),
    defineRoute({
      method: 'get', path: '/metrics', tag: 'system', summary: 'Prometheus metrics',
      responses: { 200: { description: 'Prometheus text format', schema: null, contentType: 'text/plain' } },
      handler: async (ctx) => {
        metrics.sessions.reset();
        for (const api of manager.list()) metrics.sessions.inc({ state: api.state });
        const stats = pool.stats();
        for (const kind of ['idle', 'active', 'starting', 'total', 'max', 'waiting'] as const) metrics.pool.set({ kind }, stats[kind]);
        ctx.type = metrics.registry.contentType;
        ctx.body = await metrics.text();
      },
    }),
    defineRoute({
      method: 'post', path: '/execute', tag: 'execution', summary: 'One-shot: run code in a fresh session, then destroy it',
      description: 'Nothing survives between calls: each runs in its own pooled session, destroyed afterwards.',
      body: OneShotBody,
      responses: { 200: { description: 'The finished execution', schema: ExecuteResponse } },
      errors: ['pool_exhausted', 'invalid_argument'],
      handler: async (ctx, body) => {
        const api = await manager.createEphemeral();
        try {
          const timeout = body.timeout ?? config.executionTimeout ?? undefined;
          const record = api.submit({
            code: body.code,
            source: 'rest',
            input: { lines: body.stdin ?? [], whenExhausted: 'eof' },
            ...(timeout !== undefined ? { timeout_s: timeout } : {}),
          });
          ctx.body = await record.done;
        } finally {
          // The caller has its answer; ending the worker (shutdown, then signals) need not delay it.
          api.close('one-shot finished').catch((err: unknown) => deps.log.warn({ err }, 'closing a one-shot session failed'));
        }
      },
    }),
    defineRoute({
      method: 'post', path: '/auth', tag: 'system', public: true, summary: 'Exchange the token for an HttpOnly session cookie (browsers)',
      description: 'Lets a page authenticate its WebSocket and fetches without keeping the token in script-visible storage.',
      body: z.strictObject({ token: z.string() }),
      responses: { 200: { description: 'Cookie set', schema: z.object({ ok: z.literal(true) }) } },
      errors: ['unauthorized'],
      handler: (ctx, body) => {
        if (!safeEqual(body.token, deps.policy.token)) throw new PyreplError('unauthorized', 'Wrong token.');
        ctx.set('Set-Cookie', `${AUTH_COOKIE}=${deps.policy.cookieSecret}; HttpOnly; SameSite=Strict; Path=/`);
        ctx.body = { ok: true };
      },
    }),
    defineRoute({
      method: 'get', path: '/openapi.json', tag: 'system', public: true, summary: 'This API as OpenAPI 3.1',
      responses: { 200: { description: 'OpenAPI document', schema: null } },
      handler: (ctx) => {
        ctx.body = describe.openapi();
      },
    }),
    defineRoute({
      method: 'get', path: '/ws-schema.json', tag: 'system', public: true, summary: 'The WebSocket messages as JSON Schema',
      responses: { 200: { description: 'JSON Schema of both directions', schema: null } },
      handler: (ctx) => {
        ctx.body = describe.wsSchema();
      },
    }),
  ];
}
