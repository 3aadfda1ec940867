// Cuts the answer at the first stop string and never emits the stop string itself: text that
// could be the start of a stop string is held back until the next delta settles it.

export class StopStringFilter {
  private pending = '';
  private stoppedFlag = false;

  constructor(private readonly stops: readonly string[]) {}

  get stopped(): boolean {
    return this.stoppedFlag;
  }

  /** Returns the text safe to emit now; after a stop string, `stopped` is true. */
  push(text: string): string {
    if (this.stoppedFlag) return '';
    if (this.stops.length === 0) return text;
    this.pending += text;
    let cut = -1;
    for (const stop of this.stops) {
      const at = this.pending.indexOf(stop);
      if (at !== -1 && (cut === -1 || at < cut)) cut = at;
    }
    if (cut !== -1) {
      this.stoppedFlag = true;
      const out = this.pending.slice(0, cut);
      this.pending = '';
      return out;
    }
    const hold = this.partialMatchLength();
    const out = this.pending.slice(0, this.pending.length - hold);
    this.pending = this.pending.slice(this.pending.length - hold);
    return out;
  }

  /** At the end of the answer: held-back text that never became a stop string. */
  flush(): string {
    const out = this.stoppedFlag ? '' : this.pending;
    this.pending = '';
    return out;
  }

  /** Length of the longest tail of `pending` that begins some stop string. */
  private partialMatchLength(): number {
    let best = 0;
    for (const stop of this.stops) {
      for (let n = Math.min(stop.length - 1, this.pending.length); n > best; n--) {
        if (this.pending.endsWith(stop.slice(0, n))) {
          best = n;
          break;
        }
      }
    }
    return best;
  }
}
