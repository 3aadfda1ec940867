// A typed engine failure: `kind` says what went wrong, `action` what the user can do, `file`
// which file of the model folder is at fault (when one is).
import type { ErrorKind } from '../protocol/chat';
import type { EngineErrorData } from '../protocol/engine';

export class EngineError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly action?: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }

  toData(): EngineErrorData {
    return {
      kind: this.kind,
      message: this.message,
      ...(this.action ? { action: this.action } : {}),
      ...(this.file ? { file: this.file } : {}),
    };
  }
}

export function cancelledError(): EngineError {
  return new EngineError('cancelled', 'Cancelled.');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
