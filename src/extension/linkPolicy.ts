// Which links from model output the host opens, and which it first shows in full. A model can
// write a link to a service on this machine or the local network (a dev server, a router's admin
// page) whose GET does something; VS Code's own trusted-domain prompt never covers loopback. So
// only https to a public host opens straight away (VS Code may still ask); anything else (http,
// mailto, loopback, private, link-local or single-label hosts) is shown in full with Open / Copy.
// No vscode import: the decision and the click flow are unit-tested with fakes.
const allowedSchemes = new Set(['http:', 'https:', 'mailto:']);

export function openableUrl(raw: string): URL | undefined {
  try {
    const url = new URL(raw);
    return allowedSchemes.has(url.protocol) ? url : undefined;
  } catch {
    return undefined;
  }
}

export type LinkVerdict =
  | { kind: 'refuse' }
  | { kind: 'open'; url: string }
  /** Show `url` in full first; `reason` says why, in words. */
  | { kind: 'confirm'; url: string; reason: string };

export function judgeLink(raw: string): LinkVerdict {
  const url = openableUrl(raw);
  if (!url) return { kind: 'refuse' };
  const href = url.toString();
  if (url.protocol === 'mailto:') return { kind: 'confirm', url: href, reason: 'It writes an email' };
  const place = localPlace(url.hostname);
  if (place) return { kind: 'confirm', url: href, reason: `It points to ${place}` };
  if (url.protocol !== 'https:') return { kind: 'confirm', url: href, reason: 'It is not encrypted (http)' };
  return { kind: 'open', url: href };
}

/** Where a host is when it is not on the public internet, else undefined. */
export function localPlace(hostname: string): string | undefined {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'this computer';
  const v4 = ipv4(host) ?? mappedIpv4(host);
  if (v4) return ipv4Place(v4);
  if (host.includes(':')) return ipv6Place(host);
  if (!host.includes('.')) return 'a computer on your local network';
  if (/\.(local|lan|internal|intranet|home\.arpa|corp)$/.test(host)) return 'a computer on your local network';
  return undefined;
}

function ipv4(host: string): number[] | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return undefined;
  const bytes = parts.map(Number);
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

/** ::ffff:127.0.0.1, which the URL parser writes as ::ffff:7f00:1. */
function mappedIpv4(host: string): number[] | undefined {
  const match = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (!match) return undefined;
  const high = parseInt(match[1], 16);
  const low = parseInt(match[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255];
}

function ipv4Place([a, b]: number[]): string | undefined {
  if (a === 127 || a === 0) return 'this computer';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'a private network address';
  if (a === 100 && b >= 64 && b <= 127) return 'a private network address';
  if (a === 169 && b === 254) return 'a link-local address';
  if (a >= 224) return 'a multicast or reserved address';
  return undefined;
}

function ipv6Place(host: string): string | undefined {
  if (host === '::1' || host === '::') return 'this computer';
  const first = parseInt(host.split(':')[0] || '0', 16);
  if ((first & 0xfe00) === 0xfc00) return 'a private network address';
  if ((first & 0xffc0) === 0xfe80) return 'a link-local address';
  if ((first & 0xff00) === 0xff00) return 'a multicast or reserved address';
  return undefined;
}

export interface LinkActions {
  /** Shows the full URL and why; resolves with the user's choice (undefined: dismissed). */
  confirm(url: string, reason: string): Promise<'open' | 'copy' | undefined>;
  open(url: string): Promise<void>;
  copy(text: string): Promise<void>;
  refused(raw: string): void;
}

/** One click on a link: at most one target opened, once, after the check. */
export async function followLink(raw: string, actions: LinkActions): Promise<void> {
  const verdict = judgeLink(raw);
  if (verdict.kind === 'refuse') return actions.refused(raw);
  if (verdict.kind === 'open') return actions.open(verdict.url);
  const choice = await actions.confirm(verdict.url, verdict.reason);
  if (choice === 'open') await actions.open(verdict.url);
  else if (choice === 'copy') await actions.copy(verdict.url);
}
