// Orders workspace paths for `#file:` completion by how well they match what was typed (no vscode
// import: unit-tested in plain Node).

/**
 * The score of `path` for `query` (higher is better), or undefined when the query's characters do
 * not all appear in the path in order. A match in the file name beats one spread over folders;
 * a contiguous match beats a scattered one; shorter paths win ties.
 */
export function scorePath(path: string, query: string): number | undefined {
  const p = path.toLowerCase();
  const q = query.toLowerCase().replace(/\\/g, '/');
  if (!q) return 1000 - p.length;
  const name = p.slice(p.lastIndexOf('/') + 1);
  if (name === q) return 10_000 - p.length;
  if (name.startsWith(q)) return 8_000 - p.length;
  if (name.includes(q)) return 6_000 - p.length;
  if (p.includes(q)) return 4_000 - p.length;
  // Fuzzy: every character in order, each run of consecutive hits scores more.
  let at = 0;
  let score = 0;
  let run = 0;
  for (const ch of q) {
    const found = p.indexOf(ch, at);
    if (found < 0) return undefined;
    run = found === at ? run + 1 : 1;
    score += run;
    at = found + 1;
  }
  return score * 10 - p.length;
}

/** The best `limit` paths for `query`, best first. */
export function rankPaths(paths: readonly string[], query: string, limit: number): string[] {
  return paths
    .map((path) => ({ path, score: scorePath(path, query.trim()) }))
    .filter((r): r is { path: string; score: number } => r.score !== undefined)
    .sort((a, b) => b.score - a.score || a.path.localeCompare(b.path))
    .slice(0, limit)
    .map((r) => r.path);
}
