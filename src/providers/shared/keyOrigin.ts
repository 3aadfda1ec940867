// An API key belongs to the origin (scheme, host, port) it was entered for. A request to any other origin
// never carries it, and a key never travels in clear text except to this computer. This is what keeps a
// repository's settings, a typo or a redirect from sending a key somewhere the user never chose.

/** A base URL's origin as keys are bound to it, e.g. `https://api.openai.com`; throws for what is not http(s). */
export function keyOrigin(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`"${baseUrl}" is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`"${baseUrl}" is not an http:// or https:// URL.`);
  // URL.origin lower-cases the host, drops a default port and any user:password.
  return url.origin;
}

/** Hosts that are this computer by definition, whatever DNS says: 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const v4 = host.replace(/^::ffff:/, '');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** Whether a key may be sent to this origin: https anywhere, plain http only to this computer. */
export function mayCarryKey(origin: string): boolean {
  const url = new URL(origin);
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** Why a key is not sent to an origin, for the message that asks for an https address instead. */
export function plainHttpRefusal(origin: string): string {
  return `Hearth sends API keys only over https, or over plain http to this computer; ${origin} is neither. Use its https:// address.`;
}

/** The stored key for the origin a request goes to; none for an origin that may not carry one. */
export type KeyLookup = (origin: string) => Promise<string | undefined>;

export async function keyForRequest(baseUrl: string, lookup: KeyLookup): Promise<{ origin: string; apiKey: string | undefined }> {
  const origin = keyOrigin(baseUrl);
  if (!mayCarryKey(origin)) return { origin, apiKey: undefined };
  return { origin, apiKey: await lookup(origin) };
}

/**
 * What to do about a refused or missing key. A request without a key is one whose origin has none stored
 * (or may not carry one): say so, since the key the user remembers entering was for another address.
 */
export function keyAction(ctx: { apiKey?: string; keyOrigin?: string }, setKeyAction: string): string {
  if (ctx.apiKey || !ctx.keyOrigin) return setKeyAction;
  if (!mayCarryKey(ctx.keyOrigin)) return plainHttpRefusal(ctx.keyOrigin);
  return `No API key is stored for ${ctx.keyOrigin} (a key is only sent to the address it was entered for). ${setKeyAction.replace(/\.$/, '')} to enter one for ${ctx.keyOrigin}.`;
}
