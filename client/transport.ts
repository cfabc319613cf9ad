/**
 * The little the client needs from fetch and WebSocket, as structural types. Declaring them here (rather than using
 * the DOM's types) lets the same client run in a browser, in Node 20 (global fetch, the `ws` package for WebSocket)
 * and in tests whose tsconfig has no DOM lib, and lets callers pass their own implementation.
 */

export interface ResponseLike {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export interface RequestInitLike {
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export type FetchLike = (url: string, init: RequestInitLike) => Promise<ResponseLike>;

/**
 * A WebSocket as both the browser's and `ws`'s classes are: the on* handler properties exist on both (ws's
 * EventEmitter API does not exist in browsers), hence handlers typed loosely.
 */
export interface WebSocketLike {
  readonly readyState: number;
  /** 'arraybuffer' makes binary messages ArrayBuffers in browsers and in `ws` alike. */
  binaryType: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: any) => void) | null;
  onclose: ((event: any) => void) | null;
  onerror: ((event: any) => void) | null;
}

/** `new WebSocket(url)` in a browser; `new WS(url, [], { headers })` with the `ws` package (third argument). */
export interface WebSocketConstructor {
  new (url: string, protocols?: string | string[], options?: any): WebSocketLike;
}

/** WebSocket.OPEN: the same number in every implementation (the constant is not on every constructor type). */
export const WS_OPEN = 1;
