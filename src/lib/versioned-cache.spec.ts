import { VersionedCache } from './versioned-cache';

describe('VersionedCache', () => {
  it('keeps a value for its version, loads again for another, and forgets a failed load', async () => {
    const cache = new VersionedCache<{ n: number }>(10);
    let loads = 0;
    const load = () => Promise.resolve({ n: ++loads });

    const first = await cache.get('a', 1, load);
    expect(await cache.get('a', 1, load)).toBe(first);
    expect(loads).toBe(1);
    expect(await cache.get('a', 2, load)).toEqual({ n: 2 });

    await expect(cache.get('b', 1, () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('b', 1, load)).toEqual({ n: 3 });
  });

  it('drops the least recently used key beyond its bound', async () => {
    const cache = new VersionedCache<{ key: string }>(2);
    let loads = 0;
    const load = (key: string) => () => Promise.resolve({ key, load: ++loads });
    await cache.get('a', 1, load('a'));
    await cache.get('b', 1, load('b'));
    await cache.get('a', 1, load('a'));
    await cache.get('c', 1, load('c'));
    expect(loads).toBe(3);
    await cache.get('a', 1, load('a'));
    expect(loads).toBe(3);
    await cache.get('b', 1, load('b'));
    expect(loads).toBe(4);
  });
});
