// A read-through cache with a time to live (lru-cache) for lookups made on nearly every request.
// Concurrent misses for one key share one load. Whoever writes the underlying record evicts it
// after the write; a load that an eviction cuts short is not cached, and its caller reads afresh.
import { LRUCache } from 'lru-cache';

export class ReadCache<V extends NonNullable<unknown>> {
  private readonly lru: LRUCache<string, V> | null;

  /** `ttlMs` 0 turns caching off: every get() loads. */
  constructor(
    private readonly load: (key: string) => Promise<V>,
    ttlMs: number,
    max = 10_000,
  ) {
    this.lru =
      ttlMs > 0 ? new LRUCache<string, V>({ max, ttl: ttlMs, fetchMethod: (key) => load(key) }) : null;
  }

  async get(key: string): Promise<V> {
    if (!this.lru) return this.load(key);
    return (await this.lru.fetch(key).catch(() => undefined)) ?? this.load(key);
  }

  evict(key: string): void {
    this.lru?.delete(key);
  }

  /** Evicts every entry whose value matches. */
  evictWhere(match: (value: V) => boolean): void {
    if (!this.lru) return;
    for (const [key, value] of this.lru.entries()) if (match(value)) this.lru.delete(key);
  }

  clear(): void {
    this.lru?.clear();
  }
}
