/** REST: sessions, executions in them, async jobs, and session-level actions. */
import { z } from 'zod';
import {
  Ack,
  CompleteBody,
  CompleteResponse,
  ExecuteBody,
  ExecuteResponse,
  InputBody,
  IsCompleteBody,
  InterruptResponse,
  IsCompleteResponse,
  JobAccepted,
  JobInfo,
  NamespaceResponse,
  SessionClosedResponse,
  SessionSummary,
} from '../../../protocol/api-messages.js';
import { PyreplError } from '../../../protocol/errors.js';
import type { ApiSession } from '../../api/api-session.js';
import type { ServerDeps } from '../../deps.js';
import { defineRoute, type RouteSpec } from '../route.js';


export function submitExecution(deps: ServerDeps, api: ApiSession, body: z.infer<typeof ExecuteBody>, mode: 'sync' | 'job') {
  const timeout = body.timeout ?? deps.config.executionTimeout ?? undefined;
  return api.submit({
    code: body.code,
    source: mode === 'job' ? 'job' : 'rest',
    // Without stdin lines, input() in a synchronous call sees a closed stdin (EOFError); a job waits for POST input.
    input: { lines: body.stdin ?? [], whenExhausted: mode === 'job' ? 'wait' : 'eof' },
    ...(body.transaction_policy ? { transaction_policy: body.transaction_policy } : {}),
    ...(timeout !== undefined ? { timeout_s: timeout } : {}),
  });
}

export function sessionRoutes(deps: ServerDeps): RouteSpec[] {
  const { manager, jobs } = deps;
  const startJob = (api: ApiSession, body: z.infer<typeof ExecuteBody>) => {
    const record = submitExecution(deps, api, body, 'job');
    const job = jobs.add(api, record);
    return { job_id: job.id, execution_id: record.executionId, session_id: api.id };
  };
  return [
    defineRoute({
      method: 'post', path: '/sessions', tag: 'sessions', summary: 'Create a session',
      description: 'Takes a warm session from the pool. 503 pool_exhausted (with Retry-After) when max_sessions are in use.',
      responses: { 201: { description: 'The new session', schema: SessionSummary } },
      errors: ['pool_exhausted', 'worker_start_failed'],
      handler: async (ctx) => {
        const api = await manager.create();
        ctx.status = 201;
        ctx.body = api.summary();
      },
    }),
    defineRoute({
      method: 'get', path: '/sessions', tag: 'sessions', summary: 'List sessions',
      responses: { 200: { description: 'Every open session', schema: z.array(SessionSummary) } },
      handler: (ctx) => {
        ctx.body = manager.list().map((s) => s.summary());
      },
    }),
    defineRoute({
      method: 'get', path: '/sessions/:id', tag: 'sessions', summary: 'Describe a session',
      description: 'State, created and last activity times, execution count, queue length, attached clients, pending input request.',
      responses: { 200: { description: 'The session', schema: SessionSummary } },
      errors: ['session_not_found', 'session_closed'],
      handler: (ctx) => {
        ctx.body = manager.get(ctx.params.id!).summary();
      },
    }),
    defineRoute({
      method: 'delete', path: '/sessions/:id', tag: 'sessions', summary: 'Close a session',
      description: 'Aborts queued executions, tells attached clients (session_closed) and ends the worker.',
      responses: { 200: { description: 'Closed', schema: SessionClosedResponse } },
      errors: ['session_not_found', 'session_closed'],
      handler: async (ctx) => {
        await manager.close(ctx.params.id!);
        ctx.body = { session_id: ctx.params.id!, state: 'closed' };
      },
    }),
    defineRoute({
      method: 'post', path: '/sessions/:id/execute', tag: 'execution', summary: 'Run code in a session',
      description:
        'Waits for the execution and returns everything it produced. With "async": true it returns 202 {job_id} at once ' +
        '(poll GET /jobs/{id}). Executions queue behind the running one (429 queue_full past the limit).',
      body: ExecuteBody,
      responses: {
        200: { description: 'The finished execution', schema: ExecuteResponse },
        202: { description: 'Accepted as an async job', schema: JobAccepted },
      },
      errors: ['session_not_found', 'session_closed', 'session_dead', 'queue_full', 'invalid_argument'],
      handler: async (ctx, body) => {
        const api = manager.get(ctx.params.id!);
        if (body.async) {
          ctx.status = 202;
          ctx.body = startJob(api, body);
          return;
        }
        ctx.body = await submitExecution(deps, api, body, 'sync').done;
      },
    }),
    defineRoute({
      method: 'post', path: '/sessions/:id/jobs', tag: 'execution', summary: 'Start an async job in a session',
      body: ExecuteBody,
      responses: { 202: { description: 'Accepted', schema: JobAccepted } },
      errors: ['session_not_found', 'session_closed', 'session_dead', 'queue_full'],
      handler: (ctx, body) => {
        ctx.status = 202;
        ctx.body = startJob(manager.get(ctx.params.id!), body);
      },
    }),
    defineRoute({
      method: 'get', path: '/jobs/:id', tag: 'execution', summary: 'Poll an async job',
      description: 'Status, output so far and any pending input request; the full response once finished.',
      responses: { 200: { description: 'The job', schema: JobInfo } },
      errors: ['job_not_found'],
      handler: (ctx) => {
        ctx.body = jobs.info(jobs.get(ctx.params.id!));
      },
    }),
    defineRoute({
      method: 'post', path: '/jobs/:id/input', tag: 'execution', summary: "Answer a job's input request",
      body: InputBody,
      responses: { 200: { description: 'Delivered', schema: Ack } },
      errors: ['job_not_found', 'unknown_input_token'],
      handler: async (ctx, body) => {
        const job = jobs.get(ctx.params.id!);
        if (job.record.pendingInput?.token !== body.token) {
          throw new PyreplError('unknown_input_token', 'That token is not the pending input request of this job.');
        }
        await job.session.answerInput(body.token, body.data);
        ctx.body = { ok: true };
      },
    }),
    defineRoute({
      method: 'post', path: '/sessions/:id/input', tag: 'execution', summary: "Answer the session's pending input request",
      body: InputBody,
      responses: { 200: { description: 'Delivered', schema: Ack } },
      errors: ['session_not_found', 'unknown_input_token'],
      handler: async (ctx, body) => {
        await manager.get(ctx.params.id!).answerInput(body.token, body.data);
        ctx.body = { ok: true };
      },
    }),
    defineRoute({
      method: 'post', path: '/sessions/:id/interrupt', tag: 'sessions', summary: 'Interrupt the running execution',
      description: 'KeyboardInterrupt in user code; a worker that ignores it is killed after the grace period.',
      responses: { 200: { description: 'Whether something was running', schema: InterruptResponse } },
      errors: ['session_not_found', 'session_closed'],
      handler: (ctx) => {
        ctx.body = { interrupted: manager.get(ctx.params.id!).interrupt() };
      },
    }),
    defineRoute({
      method: 'post', path: '/sessions/:id/restart', tag: 'sessions', summary: 'Restart the worker (empty namespace, same id)',
      responses: { 200: { description: 'The restarted session', schema: SessionSummary } },
      errors: ['session_not_found', 'session_closed', 'worker_start_failed'],
      handler: async (ctx) => {
        const api = manager.get(ctx.params.id!);
        await api.restart();
        ctx.body = api.summary();
      },
    }),
    defineRoute({
      method: 'post', path: '/sessions/:id/complete', tag: 'introspection', summary: 'Completions at a cursor',
      body: CompleteBody,
      responses: { 200: { description: 'Matches and the span they replace', schema: CompleteResponse } },
      errors: ['session_not_found', 'session_dead', 'request_timeout'],
      handler: async (ctx, body) => {
        ctx.body = await manager.get(ctx.params.id!).session.complete(body.code, body.cursor ?? body.code.length);
      },
    }),
    defineRoute({
      method: 'post', path: '/sessions/:id/is_complete', tag: 'introspection', summary: 'Is this code a complete statement?',
      body: IsCompleteBody,
      responses: { 200: { description: 'complete / incomplete (with the indent to continue) / invalid', schema: IsCompleteResponse } },
      errors: ['session_not_found', 'session_dead', 'request_timeout'],
      handler: async (ctx, body) => {
        ctx.body = await manager.get(ctx.params.id!).session.isComplete(body.code);
      },
    }),
    defineRoute({
      method: 'get', path: '/sessions/:id/namespace', tag: 'introspection', summary: "The session's variables",
      responses: { 200: { description: 'Names, types and bounded reprs', schema: NamespaceResponse } },
      errors: ['session_not_found', 'session_dead', 'request_timeout'],
      handler: async (ctx) => {
        ctx.body = { variables: await manager.get(ctx.params.id!).session.inspect() };
      },
    }),
  ];
}
