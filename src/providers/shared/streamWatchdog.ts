// Ends a remote answer whose server went quiet: one limit until the first chunk arrives (the server may be
// queueing or loading a model), another between chunks once it streams. Any chunk counts, text or not, so a
// model that reasons silently in chunks without answer text is not cut off. The user's Stop goes through
// the same signal, so the request is cancelled the same way whoever ends it.
import { ProviderError } from '../types';

export interface StreamTimeouts {
  /** From sending the request to the first chunk; 0 or undefined: no limit. */
  firstChunkMs?: number;
  /** Between two chunks; 0 or undefined: no limit. */
  idleMs?: number;
}

export type Expiry = { phase: 'first' | 'idle'; ms: number };

export class StreamWatchdog {
  private readonly controller = new AbortController();
  /** Aborted by the caller's signal or by a timeout. */
  readonly signal: AbortSignal;
  private timer: NodeJS.Timeout | undefined;
  private expiredWith: Expiry | undefined;

  constructor(
    private readonly timeouts: StreamTimeouts,
    outer?: AbortSignal,
  ) {
    this.signal = outer ? AbortSignal.any([outer, this.controller.signal]) : this.controller.signal;
    this.arm('first');
  }

  /** Why the watchdog ended the stream, if it did. */
  get expired(): Expiry | undefined {
    return this.expiredWith;
  }

  /** A chunk arrived: the idle limit starts again. */
  progress(): void {
    this.arm('idle');
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private arm(phase: Expiry['phase']): void {
    clearTimeout(this.timer);
    const ms = phase === 'first' ? this.timeouts.firstChunkMs : this.timeouts.idleMs;
    if (!ms) return;
    this.timer = setTimeout(() => {
      this.expiredWith = { phase, ms };
      this.controller.abort();
    }, ms);
  }
}

/** The error for a server that went quiet; what was shown stays. */
export function timeoutError(expiry: Expiry, endpoint: string): ProviderError {
  const seconds = Math.round(expiry.ms / 1000);
  return expiry.phase === 'first'
    ? new ProviderError(
        'network',
        `${endpoint} accepted the request but sent nothing for ${seconds} s.`,
        'Try again. If the server is busy or still loading the model, raise hearth.remote.firstTokenTimeoutSeconds.',
      )
    : new ProviderError(
        'network',
        `${endpoint} stopped sending in the middle of the answer (nothing for ${seconds} s).`,
        'The partial answer is kept. Try again, or raise hearth.remote.idleTimeoutSeconds.',
      );
}
