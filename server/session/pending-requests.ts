/**
 * Requests to the worker that expect one reply by request_id (complete, inspect, heartbeat, input acks), each with
 * its own timeout, all failed at once when the worker goes away.
 */
import { PyreplError } from '../../protocol/errors.js';
import type { ReplyEvent } from '../../protocol/worker-messages.js';

interface Pending {
  resolve: (reply: ReplyEvent) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class PendingRequests {
  private readonly pending = new Map<string, Pending>();

  add(requestId: string, timeoutMs: number, what: string): Promise<ReplyEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new PyreplError('request_timeout', `The worker did not answer ${what} within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
    });
  }

  resolve(requestId: string, reply: ReplyEvent): void {
    const entry = this.take(requestId);
    entry?.resolve(reply);
  }

  reject(requestId: string, err: Error): void {
    const entry = this.take(requestId);
    entry?.reject(err);
  }

  rejectAll(err: Error): void {
    for (const id of [...this.pending.keys()]) this.reject(id, err);
  }

  private take(requestId: string): Pending | undefined {
    const entry = this.pending.get(requestId);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    this.pending.delete(requestId);
    return entry;
  }
}
