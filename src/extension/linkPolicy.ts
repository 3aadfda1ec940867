// Which links from model output the host will open (after the user clicked them).
const allowedSchemes = new Set(['http:', 'https:', 'mailto:']);

export function openableUrl(raw: string): URL | undefined {
  try {
    const url = new URL(raw);
    return allowedSchemes.has(url.protocol) ? url : undefined;
  } catch {
    return undefined;
  }
}
