/**
 * A REST route described once: method, path, schemas and handler. The router is built from these descriptions and so
 * is /openapi.json, so the published API cannot drift from the one that runs.
 */
import type { Context } from 'koa';
import type { z } from 'zod';
import { PyreplError } from '../../protocol/errors.js';
import { parseWith } from './validate.js';

export type Method = 'get' | 'post' | 'delete';

export interface RouteSpec<B extends z.ZodType | undefined = z.ZodType | undefined> {
  method: Method;
  /** Koa style, e.g. /sessions/:id/execute (converted to {id} for OpenAPI). */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** Needs no token. */
  public?: boolean;
  body?: B;
  /** Success status → schema (null: no JSON schema, e.g. text). */
  responses: Record<number, { description: string; schema: z.ZodType | null; contentType?: string }>;
  /** Error codes this route may answer with, for the docs. */
  errors?: string[];
  handler: (ctx: Context, body: B extends z.ZodType ? z.infer<B> : undefined) => Promise<void> | void;
}

export function defineRoute<B extends z.ZodType | undefined>(spec: RouteSpec<B>): RouteSpec {
  return spec as unknown as RouteSpec;
}

/** Runs a route's handler with its body validated by the route's schema. */
export function runRoute(spec: RouteSpec) {
  return async (ctx: Context): Promise<void> => {
    const raw = (ctx.request as { body?: unknown }).body;
    const body = spec.body ? parseWith(spec.body, raw ?? null) : refuseFields(raw);
    await spec.handler(ctx, body as never);
  };
}

/**
 * A route without a body schema takes no fields: nothing, or `{}`. Anything else is refused as an unknown field is
 * elsewhere, so `POST /sessions {"name": "x"}` says so instead of silently creating an unnamed session.
 */
function refuseFields(raw: unknown): undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'object' && !Array.isArray(raw)) {
    const keys = Object.keys(raw);
    if (keys.length === 0) return undefined;
    throw new PyreplError('invalid_argument', `body: unknown field${keys.length > 1 ? 's' : ''} ${keys.map((k) => JSON.stringify(k)).join(', ')} (this request takes none)`);
  }
  throw new PyreplError('invalid_argument', 'body: this request takes no body');
}

export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}
