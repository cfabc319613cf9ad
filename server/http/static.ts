/**
 * Static pages: the renderer's bundle at / (when built), the human API docs page and the WebSocket test page. All
 * public (a browser loads them before it can authenticate) and all served with a Content-Security-Policy that allows
 * only same-origin scripts, styles and connections.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { Context, Next } from 'koa';
import { PACKAGE_ROOT } from '../paths.js';

/**
 * style-src-attr 'unsafe-inline': the terminal (xterm.js's DOM renderer) colours cells with 24-bit colour, the
 * selection and find highlights through `style` attributes (setAttribute('style', …)), which style-src 'self' blocks
 * (with a console error per cell). An inline style attribute can only style its own element: no selectors, no
 * @import, and url() still obeys img-src/font-src 'self'. <style> elements and scripts stay same-origin only (the
 * renderer feeds xterm's <style> text into constructed stylesheets, renderer/csp-styles.ts).
 */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** URL path → file, for the pages the server ships (server/static) and the renderer's build (dist/renderer). */
function resolveFile(path: string, roots: string[]): string | null {
  const rel = path === '/' ? 'index.html' : path === '/docs' ? 'docs.html' : path.slice(1);
  for (const root of roots) {
    const file = normalize(join(root, rel));
    if (!file.startsWith(root + sep)) return null;
    if (existsSync(file)) return file;
  }
  return null;
}

export function staticMiddleware(roots = [join(PACKAGE_ROOT, 'dist', 'renderer'), join(PACKAGE_ROOT, 'server', 'static')]) {
  return async function serveStatic(ctx: Context, next: Next): Promise<void> {
    if (ctx.path === '/favicon.ico' && ctx.method === 'GET') {
      ctx.status = 204; // browsers ask on every page; say "none" rather than log an error
      return;
    }
    const page = ctx.path === '/' || ctx.path === '/docs' || ctx.path === '/ws-test.html' || ctx.path.startsWith('/assets/');
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !page) return next();
    const file = resolveFile(ctx.path, roots);
    if (!file) return next();
    ctx.set('Content-Security-Policy', CSP);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = TYPES[extname(file)] ?? 'application/octet-stream';
    ctx.body = readFileSync(file);
  };
}
