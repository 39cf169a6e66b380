// A bounded cache of values loaded for a version of their source: an entry is used only while the version the caller
// read is the one it was loaded for, and a load that fails is not kept.
import { LRUCache } from 'lru-cache';

export class VersionedCache<V extends object> {
  private readonly entries: LRUCache<string, { version: number; value: Promise<V> }>;

  constructor(max: number) {
    this.entries = new LRUCache({ max });
  }

  /** The value kept for `key` at `version`, or what `load` gives, kept for that version. */
  get(key: string, version: number, load: () => Promise<V>): Promise<V> {
    const cached = this.entries.get(key);
    if (cached && cached.version === version) return cached.value;
    const value = load();
    const entry = { version, value };
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.peek(key) === entry) this.entries.delete(key);
    });
    return value;
  }
}
