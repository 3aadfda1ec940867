// One fetch for every request to the hub: the caller's AbortSignal, the token only for the hub's own
// origin, 429 answered by waiting Retry-After, and 401/403/404 turned into errors that say what to do.
import { setTimeout as delay } from 'node:timers/promises';
import { parseRetryAfterMs } from '../providers/shared/retryAfter';
import { cancelled, HubError, isAbort } from './hubError';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

export interface HubFetchOptions {
  endpoint: string;
  token?: string;
  /** For tests: a fetch other than the global one. */
  fetch?: typeof fetch;
  /** Most waits on 429 before giving up. */
  maxRateLimitRetries?: number;
  /** Longest single wait a 429 may ask for. */
  maxRetryAfterMs?: number;
}

export function modelPage(endpoint: string, repo: string): string {
  return `${endpoint.replace(/\/+$/, '')}/${repo}`;
}

/** A fetch for one repository's requests (its page is what 401/403 point to), or for a search (no repo). */
export function hubFetch(options: HubFetchOptions, repo: string | undefined, signal?: AbortSignal): typeof fetch {
  const base = options.fetch ?? fetch;
  const hubOrigin = new URL(options.endpoint).origin;
  const maxRetries = options.maxRateLimitRetries ?? 5;
  const maxWait = options.maxRetryAfterMs ?? 120_000;

  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const headers = new Headers(init?.headers);
    // @huggingface/hub adds the token itself; it must never leave the hub's origin.
    if (url.origin === hubOrigin && options.token) headers.set('authorization', `Bearer ${options.token}`);
    else headers.delete('authorization');
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      const requestSignal = init?.signal && signal ? AbortSignal.any([init.signal, signal]) : (init?.signal ?? signal);
      try {
        res = await base(url, { ...init, headers, signal: requestSignal });
      } catch (e) {
        if (signal?.aborted) throw cancelled();
        if (init?.signal?.aborted || e instanceof HubError) throw e; // the caller's own timer; it knows why
        if (isAbort(e)) throw cancelled();
        throw new HubError('network', `Could not reach ${url.origin}: ${(e as Error).message}`);
      }
      if (res.status === 429 && attempt < maxRetries) {
        const waitMs = Math.min(parseRetryAfterMs(res.headers) ?? 1000 * 2 ** attempt, maxWait);
        await res.body?.cancel();
        try {
          await delay(waitMs, undefined, { signal });
        } catch {
          throw cancelled();
        }
        continue;
      }
      if (res.status === 429) throw new HubError('rateLimited', `${url.origin} keeps answering "too many requests"; try again in a few minutes.`);
      if ((res.status === 401 || res.status === 403) && !repo) {
        await res.body?.cancel();
        throw new HubError('gated', `${hubOrigin} refused the request (HTTP ${res.status}): check the Hugging Face token (Hearth: Set Hugging Face Token).`);
      }
      if (res.status === 401 || res.status === 403) {
        const page = modelPage(options.endpoint, repo ?? '');
        const why = options.token
          ? `Your Hugging Face token may not access ${repo}: accept the model's licence on its page (${page}), or check the token.`
          : `${repo} is gated or private: accept its licence on the model page (${page}) while signed in, then set a Hugging Face access token (Hearth: Set Hugging Face Token).`;
        await res.body?.cancel();
        throw new HubError('gated', why, page);
      }
      if (res.status === 404) {
        await res.body?.cancel();
        throw new HubError('notFound', `${repo ?? 'That'} (or a file in it) is not on ${hubOrigin}: ${url.pathname}`);
      }
      return res;
    }
  };
}
