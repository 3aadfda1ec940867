// "2 h ago": how a history row says when a conversation last changed (the full date is its tooltip).
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function relativeTime(then: number, now: number): string {
  const ago = Math.max(0, now - then);
  if (ago < MINUTE) return 'just now';
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min ago`;
  if (ago < DAY) return `${Math.floor(ago / HOUR)} h ago`;
  if (ago < 2 * DAY) return 'yesterday';
  if (ago < 7 * DAY) return `${Math.floor(ago / DAY)} days ago`;
  if (ago < 30 * DAY) return `${Math.floor(ago / (7 * DAY))} wk ago`;
  if (ago < 365 * DAY) return `${Math.floor(ago / (30 * DAY))} mo ago`;
  return `${Math.floor(ago / (365 * DAY))} yr ago`;
}
