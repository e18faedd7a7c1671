// A small time-bounded cache: per-request lookups (users, access contexts) are reused for a moment, never for long.
export class TtlCache<Value> {
  private readonly entries = new Map<string, { value: Value; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** The fresh entry, without waiting: most requests find their user and access context here. */
  peek(key: string): { value: Value } | undefined {
    if (this.ttlMs <= 0) return undefined;
    const hit = this.entries.get(key);
    return hit && hit.expires > Date.now() ? hit : undefined;
  }

  async get(key: string, load: () => Promise<Value>): Promise<Value> {
    const hit = this.peek(key);
    if (hit) return hit.value;
    if (this.ttlMs <= 0) return load();
    const now = Date.now();
    const value = await load();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, expires: now + this.ttlMs });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
