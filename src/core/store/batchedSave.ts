/**
 * Coalesces store saves: sql.js writes the whole file on every save, so records that arrive close
 * together are saved together, yet each reaches the disk within `delayMs` plus a save or two.
 */

export interface BatchedSaveOptions {
  /** How long to gather changes before saving (default 200 ms). */
  delayMs?: number;
  /** A background save failed; the changes stay pending and the next save retries them. */
  onError?: (error: unknown) => void;
}

export class BatchedSave {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;
  private pending = false;
  private readonly delayMs: number;

  constructor(
    private readonly save: () => Promise<unknown>,
    private readonly options: BatchedSaveOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 200;
  }

  /** Call after every change: a save starts within `delayMs`, or as soon as the one in flight ends. */
  changed(): void {
    this.pending = true;
    if (!this.timer && !this.inFlight) this.timer = setTimeout(() => void this.runInBackground(), this.delayMs);
  }

  /** Saves every change made so far, now; rejects when that save fails. */
  async flush(): Promise<void> {
    for (this.clearTimer(); this.inFlight; this.clearTimer()) await this.inFlight;
    if (!this.pending) return;
    this.pending = false;
    try {
      await this.save();
    } catch (error) {
      this.pending = true;
      throw error;
    }
  }

  /** Stops the timer; changes not yet saved stay unsaved. */
  dispose(): void {
    this.clearTimer();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async runInBackground(): Promise<void> {
    this.timer = null;
    if (!this.pending || this.inFlight) return;
    this.pending = false;
    let failed = false;
    this.inFlight = this.save().then(
      () => undefined,
      (error: unknown) => {
        failed = true;
        this.pending = true;
        this.options.onError?.(error);
      },
    );
    await this.inFlight;
    this.inFlight = null;
    // Changes made during the save go out next; after a failure, the next change or flush retries.
    if (this.pending && !failed) this.changed();
  }
}
