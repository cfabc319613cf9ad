/** Progress on stderr with a time stamp, like the anchors' log(); stdout is kept for the table. */
export function log(...parts: unknown[]): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 23)}] ${parts.map(String).join(' ')}\n`);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Rejects after `ms` with a message naming what did not finish. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${what}`)), ms);
    }),
  ]);
}

/** Rounds to 3 decimals (as the anchors' r3), keeping null. */
export const r3 = (x: number | null | undefined): number | null =>
  x == null || Number.isNaN(x) ? null : Math.round(x * 1000) / 1000;
