/**
 * The page a window shows when the server could not start (no usable Python, a bad setting), or when its page could
 * not load or crashed: the message and the fix, instead of a blank window. A data: URL built here, so it needs no server; its CSP allows no script at all.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export interface ErrorPageContent {
  title: string;
  /** May span lines; shown as preformatted text. */
  message: string;
  /** Where the details are (the log file). */
  logFile?: string | undefined;
  /** What to do next; the default is about fixing the start-up. */
  hint?: string;
  /** The terminal's URL, for a "Try again" link (navigation to the server's origin is allowed; the preload still
   *  hands the window its own session). */
  retryUrl?: string | undefined;
}

export function errorPageHtml(content: ErrorPageContent): string {
  const log = content.logFile ? `<p class="log">Details are in the log: <code>${escapeHtml(content.logFile)}</code></p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(content.title)}</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; background: #1b1d23; color: #d7dae0; margin: 0; padding: 48px; }
  h1 { font-size: 20px; color: #f07178; margin-top: 0; }
  pre { white-space: pre-wrap; background: #2c313a; padding: 16px; border-radius: 6px; font-size: 13px; }
  .log, .hint { color: #9da5b4; }
  a { color: #82aaff; }
</style></head>
<body>
<h1>${escapeHtml(content.title)}</h1>
<pre>${escapeHtml(content.message)}</pre>
<p class="hint">${escapeHtml(content.hint ?? 'After fixing it, quit and start PyREPL3 again (or use File → Preferences → Python Interpreter…).')}</p>
${content.retryUrl ? `<p><a href="${escapeHtml(content.retryUrl)}">Try again</a></p>` : ''}
${log}
</body></html>`;
}

export function errorPageUrl(content: ErrorPageContent): string {
  return `data:text/html;charset=utf-8,${encodeURIComponent(errorPageHtml(content))}`;
}
