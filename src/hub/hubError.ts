// Errors the downloader reports, typed so the editor can say what happened and what to do.
export type HubErrorKind =
  | 'gated' // 401/403: a licence to accept, or a token to set
  | 'notFound'
  | 'rateLimited'
  | 'network'
  | 'checksum'
  | 'diskFull'
  | 'badRepo' // the repository has no usable ONNX chat model
  | 'cancelled';

export class HubError extends Error {
  constructor(
    readonly kind: HubErrorKind,
    message: string,
    /** A page that helps (the model page for a gated repository). */
    readonly link?: string,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

export function isAbort(e: unknown, signal?: AbortSignal): boolean {
  return (signal?.aborted ?? false) || (e instanceof Error && e.name === 'AbortError');
}

/** The error to throw once the caller's signal fired, whatever the fetch threw. */
export function cancelled(): HubError {
  return new HubError('cancelled', 'The download was cancelled; downloading again resumes where it stopped.');
}
