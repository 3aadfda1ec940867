// When a request that failed before any text arrived is tried again. Only statuses that say "later"
// (408, 429, 5xx, Anthropic's 529) are retried, at most a few times, after the wait the server asks for
// (Retry-After) or an exponential backoff, each announced to the user. A request whose answer has started
// is never sent again: the user would pay twice and see text repeated.
import { parseRetryAfterMs } from './retryAfter';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** The first backoff; doubled for each retry. */
  baseDelayMs: number;
  /** A longer Retry-After is not waited for: the error is shown with the wait instead. */
  maxWaitMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxRetries: 3, baseDelayMs: 1000, maxWaitMs: 20_000 };

const retryableStatuses = new Set([408, 429, 500, 502, 503, 504, 529]);

export interface FailedAttempt {
  status: number | undefined;
  headers: Headers | undefined;
  /** e.g. OpenAI's `insufficient_quota`: a 429 that waiting will not fix. */
  code?: string;
}

/** The wait before retry number `retry` (0-based), or undefined when the failure is shown instead. */
export function retryDelayMs(failure: FailedAttempt, retry: number, policy: RetryPolicy = defaultRetryPolicy): number | undefined {
  if (failure.status === undefined || !retryableStatuses.has(failure.status) || retry >= policy.maxRetries) return undefined;
  if (failure.code === 'insufficient_quota') return undefined;
  const asked = failure.headers ? parseRetryAfterMs(failure.headers) : undefined;
  if (asked !== undefined) return asked <= policy.maxWaitMs ? asked : undefined;
  return Math.min(policy.baseDelayMs * 2 ** retry, policy.maxWaitMs);
}

/** The notice shown while waiting, e.g. "The server answered 503; retrying in 2 s (2 of 3)." */
export function retryNotice(status: number, waitMs: number, retry: number, policy: RetryPolicy = defaultRetryPolicy): string {
  const what = status === 429 ? 'Rate limited by the API' : `The server answered ${status}`;
  return `${what}; retrying in ${Math.max(1, Math.ceil(waitMs / 1000))} s (${retry + 1} of ${policy.maxRetries}).`;
}
