/**
 * Integration-test harness: a real server on port 0 with real Python workers, a raw HTTP helper (full control of
 * headers, for the security tests) and a WebSocket helper that records every message.
 */
import { request as httpRequest } from 'node:http';
import { WebSocket } from 'ws';
import { startServer, type RunningServer } from '../app.js';
import { resolveConfig, type ServerConfig } from '../config.js';

export const TEST_TOKEN = 'test-token-0123456789';

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export class TestServer {
  private constructor(readonly server: RunningServer) {}

  static async start(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
    const config = resolveConfig({}, {}, { port: 0, token: TEST_TOKEN, minIdle: 1, logLevel: 'silent', ...overrides });
    return new TestServer(await startServer(config));
  }

  get url(): string {
    return this.server.url;
  }

  get port(): number {
    return this.server.port;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** An HTTP request with the token unless `headers.authorization` is given (null: no token at all). */
  request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string | null> = {},
  ): Promise<HttpResult> {
    const finalHeaders: Record<string, string> = {};
    if (headers.authorization !== null) finalHeaders.authorization = headers.authorization ?? `Bearer ${TEST_TOKEN}`;
    let payload: Buffer | undefined;
    if (body !== undefined) {
      payload = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      finalHeaders['content-type'] = 'application/json';
      finalHeaders['content-length'] = String(payload.length);
    }
    for (const [k, v] of Object.entries(headers)) if (v !== null && k !== 'authorization') finalHeaders[k.toLowerCase()] = v;
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: this.port, method, path, headers: finalHeaders }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = null;
          try {
            json = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      });
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** Opens /ws with the token in the Authorization header (unless headers say otherwise). */
  ws(query = '', headers: Record<string, string> = { authorization: `Bearer ${TEST_TOKEN}` }): Promise<RecordingSocket> {
    return RecordingSocket.open(`${this.url.replace(/^http/, 'ws')}/ws${query}`, headers);
  }
}

/** A WebSocket that keeps every JSON message it receives, with waits on them. */
/** An output event from its binary frame: 4-byte header length, header JSON, then the data (protocol/binary-output.ts). */
function binaryOutput(frame: Buffer): Record<string, unknown> {
  const headerBytes = frame.readUInt32BE(0);
  const header = JSON.parse(frame.toString('utf8', 4, 4 + headerBytes)) as Record<string, unknown>;
  return { ...header, data: frame.toString('utf8', 4 + headerBytes) };
}

export class RecordingSocket {
  readonly messages: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  closeCode: number | null = null;
  private waiters: { pred: (m: any) => boolean; resolve: (m: any) => void }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  private closeWaiters: ((code: number) => void)[] = [];

  /** How each message came: a text frame (JSON) or a binary frame (an output event, `?output=binary`). */
  readonly framing: ('text' | 'binary')[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const msg = isBinary ? binaryOutput(data as Buffer) : JSON.parse(data.toString());
      this.framing.push(isBinary ? 'binary' : 'text');
      this.messages.push(msg);
      this.waiters = this.waiters.filter((w) => (w.pred(msg) ? (w.resolve(msg), false) : true));
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      for (const w of this.closeWaiters.splice(0)) w(code);
    });
  }

  static open(url: string, headers: Record<string, string>): Promise<RecordingSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const socket = new RecordingSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}: ${body}`), { status: res.statusCode, body })));
      });
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message (already received or coming) that matches; fails after timeoutMs. */
  next(pred: (m: any) => boolean, timeoutMs = 15_000, what = 'message'): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const hit = this.messages.find(pred);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.messages.slice(-5))}`)), timeoutMs);
      this.waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  /** Waits for a message that arrives after now (ignores those already received). */
  nextNew(pred: (m: any) => boolean, timeoutMs = 15_000, what = 'message'): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  closed(): Promise<number> {
    if (this.closeCode !== null) return Promise.resolve(this.closeCode);
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  close(): void {
    this.ws.close();
  }

  /** Session events (with seq) received so far. */
  events(): any[] { // eslint-disable-line @typescript-eslint/no-explicit-any
    return this.messages.filter((m) => typeof m.seq === 'number');
  }
}
