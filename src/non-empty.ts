/** A list with at least one item: its first is always there, and the type says so. */
export type NonEmpty<T> = readonly [T, ...T[]];

export function isNonEmpty<T>(items: readonly T[]): items is NonEmpty<T> {
  return items.length > 0;
}

/** `items.map(f)`, still non-empty. */
export function mapNonEmpty<T, U>(items: NonEmpty<T>, f: (item: T) => U): NonEmpty<U> {
  const [first, ...rest] = items;
  return [f(first), ...rest.map(f)];
}
