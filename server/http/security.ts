/**
 * The checks that stand between every web page the user opens and a server that runs code. Pure functions (so the
 * WebSocket upgrade and the HTTP middleware share them) plus the Koa middleware:
 *
 * - Host must be a loopback name/address (or an allowed one) with the server's port: DNS-rebinding defence.
 * - Origin, when present, must be the server's own or an allowed one; CORS echoes only those, never with credentials.
 * - A token is required everywhere but the public paths: `Authorization: Bearer`, or the HttpOnly cookie that
 *   POST /auth sets in exchange for the token. Compared in constant time.
 *
 * These hold for requests that carry a valid token too.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'koa';
import { PyreplError } from '../../protocol/errors.js';
import { isLoopbackHost } from '../config.js';

export const AUTH_COOKIE = 'pyrepl_auth';

export interface SecurityPolicy {
  /** The server's port, once listening (Host and Origin must carry it). */
  port(): number;
  token: string;
  /** The value of the auth cookie (random per server start, not the token itself). */
  cookieSecret: string;
  allowOrigins: string[];
  allowHosts: string[];
}

/** Paths that need no token: health, and the static pages a browser loads before it can authenticate. */
export function isPublic(method: string, path: string): boolean {
  if (method === 'OPTIONS') return true;
  if (method === 'POST' && path === '/auth') return true;
  if (method !== 'GET' && method !== 'HEAD') return false;
  return (
    path === '/health' ||
    path === '/' ||
    path === '/index.html' ||
    path === '/docs' ||
    path === '/openapi.json' ||
    path === '/ws-schema.json' ||
    path === '/ws-test.html' ||
    path === '/favicon.ico' ||
    path.startsWith('/assets/')
  );
}

function splitHost(host: string): { name: string; port: string | null } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(host);
  if (v6) return { name: `[${v6[1]}]`, port: v6[2] ?? null };
  const idx = host.lastIndexOf(':');
  if (idx === -1) return { name: host, port: null };
  return { name: host.slice(0, idx), port: host.slice(idx + 1) };
}

export function hostAllowed(hostHeader: string | undefined, policy: SecurityPolicy): boolean {
  if (!hostHeader) return false;
  const { name, port } = splitHost(hostHeader.trim().toLowerCase());
  if (port !== String(policy.port())) return false;
  return isLoopbackHost(name) || name.endsWith('.localhost') || policy.allowHosts.includes(name);
}

export function originAllowed(origin: string, policy: SecurityPolicy): boolean {
  if (policy.allowOrigins.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // includes the opaque "null" origin of sandboxed frames and file:// pages
  }
  if (url.protocol !== 'http:') return false;
  return url.port === String(policy.port()) && (isLoopbackHost(url.hostname) || url.hostname === '[::1]');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time comparison (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export function bearerToken(authorization: string | undefined): string | null {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  return match ? match[1]!.trim() : null;
}

export function cookieValue(cookieHeader: string | undefined, name: string): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

/** True when the request headers carry the token (bearer) or the auth cookie. */
export function authenticated(headers: { authorization?: string; cookie?: string }, policy: SecurityPolicy): boolean {
  const bearer = bearerToken(headers.authorization);
  if (bearer !== null) return safeEqual(bearer, policy.token);
  const cookie = cookieValue(headers.cookie, AUTH_COOKIE);
  return cookie !== null && safeEqual(cookie, policy.cookieSecret);
}

export function securityMiddleware(policy: SecurityPolicy) {
  return async function security(ctx: Context, next: Next): Promise<void> {
    if (!hostAllowed(ctx.get('host'), policy)) {
      throw new PyreplError('forbidden_host', `Host ${JSON.stringify(ctx.get('host'))} is not allowed.`);
    }
    const origin = ctx.get('origin');
    if (origin) {
      if (!originAllowed(origin, policy)) {
        throw new PyreplError('forbidden_origin', `Origin ${JSON.stringify(origin)} is not allowed.`);
      }
      // Tokens travel in headers, so no credentials mode: allowed origins get a plain CORS answer.
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Vary', 'Origin');
      if (ctx.method === 'OPTIONS') {
        ctx.set('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
        ctx.set('Access-Control-Allow-Headers', 'Authorization, Content-Type');
        ctx.set('Access-Control-Max-Age', '600');
        ctx.status = 204;
        return;
      }
    }
    if (!isPublic(ctx.method, ctx.path) && !authenticated({ authorization: ctx.get('authorization'), cookie: ctx.get('cookie') }, policy)) {
      throw new PyreplError('unauthorized', 'A valid token is required: Authorization: Bearer <token> (see `npx pyrepl info`).');
    }
    await next();
  };
}
