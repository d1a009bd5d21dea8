/**
 * Returns the value kept in `cache` for `key`, or makes it with `make` and
 * keeps it. The cache is emptied when it contains `limit` values, so memory
 * stays bounded however many keys a file has.
 */
export function cachedValue<K, V>(
  cache: Map<K, V>,
  key: K,
  limit: number,
  make: (key: K) => V,
): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = make(key);
    if (cache.size >= limit) {
      cache.clear();
    }
    cache.set(key, value);
  }
  return value;
}
