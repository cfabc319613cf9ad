/**
 * Backpressure by pausing the source (as ws does): counts bytes produced but not yet consumed, pauses the source above
 * the high watermark and resumes it below the low one. The gap between the two stops it from flapping.
 */
export class FlowControl {
  private buffered = 0;
  private paused = false;

  constructor(
    private readonly highWatermark: number,
    private readonly lowWatermark: number,
    private readonly source: { pause(): void; resume(): void },
  ) {}

  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Called with +n when n bytes are buffered and -n when they are consumed (or dropped). */
  add(delta: number): void {
    this.buffered += delta;
    if (!this.paused && this.buffered > this.highWatermark) {
      this.paused = true;
      this.source.pause();
    } else if (this.paused && this.buffered < this.lowWatermark) {
      this.paused = false;
      this.source.resume();
    }
  }
}
