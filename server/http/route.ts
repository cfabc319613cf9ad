/**
 * A REST route described once: method, path, schemas and handler. The router is built from these descriptions and so
 * is /openapi.json, so the published API cannot drift from the one that runs.
 */
import type { Context } from 'koa';
import { z } from 'zod';
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

/**
 * What a route without a body schema takes: nothing, or `{}`. Anything else is refused as an unknown field is
 * everywhere, so `POST /sessions {"name": "x"}` says so instead of silently creating an unnamed session.
 */
const NO_FIELDS = z.strictObject({});

/** Runs a route's handler with its body validated by the route's schema. */
export function runRoute(spec: RouteSpec) {
  return async (ctx: Context): Promise<void> => {
    const raw = (ctx.request as { body?: unknown }).body ?? null;
    const body = spec.body ? parseWith(spec.body, raw) : void parseWith(NO_FIELDS, raw ?? {});
    await spec.handler(ctx, body as never);
  };
}

export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}
