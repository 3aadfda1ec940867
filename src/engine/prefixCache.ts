// Per-conversation KV caches kept between turns, least recently used evicted first. The next
// turn re-tokenizes its whole prompt and reuses the cache up to the longest common prefix.
// A cache dropped here (evicted, replaced, cleared) has its device memory released at once.
import { type KvCache, disposeKvCache } from './kvCache';

export interface CachedPrefix {
  /** The tokens whose keys/values `kv` holds, in order. */
  ids: number[];
  kv: KvCache;
}

export class PrefixCache {
  private readonly entries = new Map<string, CachedPrefix>();

  constructor(private readonly maxConversations = 4) {}

  /** Removes and returns a conversation's cache (a running turn owns it until `put`). */
  take(conversationId: string): CachedPrefix | undefined {
    const entry = this.entries.get(conversationId);
    this.entries.delete(conversationId);
    return entry;
  }

  put(conversationId: string, entry: CachedPrefix): void {
    const previous = this.entries.get(conversationId);
    if (previous && previous.kv !== entry.kv) disposeKvCache(previous.kv);
    this.entries.delete(conversationId);
    this.entries.set(conversationId, entry);
    while (this.entries.size > this.maxConversations) {
      const oldest = this.entries.entries().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest[0]);
      disposeKvCache(oldest[1].kv);
    }
  }

  clear(): void {
    for (const entry of this.entries.values()) disposeKvCache(entry.kv);
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

export function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}
