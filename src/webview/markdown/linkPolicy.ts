// Which link targets may be shown as links: absolute http, https and mailto only.
const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The canonical URL when `raw` is an allowed absolute link, else undefined. */
export function safeLinkTarget(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  const trimmed = raw.trim();
  // Absolute only: a relative link would resolve against the webview's own origin.
  if (!/^(?:https?:\/\/|mailto:)/i.test(trimmed)) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) return undefined;
  if (url.protocol !== 'mailto:' && !url.hostname) return undefined;
  return url.href;
}

/** What the user should see as the link's real destination: the host (punycode) or the mail address. */
export function linkDestinationLabel(href: string): string {
  const url = new URL(href);
  return url.protocol === 'mailto:' ? url.pathname : url.host;
}
