// Marks the items of two views (A and B) as found in only one, or in both.

export type Side = 'a' | 'b' | 'both';

export interface Marked<T> {
  item: T;
  only: Side;
}

/**
 * Every distinct item of a and b, each once: first those of a in a's order
 * (in both, or only in a), then those only in b in b's order.
 */
export function markItems<T>(a: readonly T[], b: readonly T[], key: (x: T) => string = String): Marked<T>[] {
  const inA = new Set(a.map(key));
  const inB = new Set(b.map(key));
  const seen = new Set<string>();
  const out: Marked<T>[] = [];
  for (const x of a) {
    const k = key(x);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ item: x, only: inB.has(k) ? 'both' : 'a' });
  }
  for (const x of b) {
    const k = key(x);
    if (seen.has(k) || inA.has(k)) continue;
    seen.add(k);
    out.push({ item: x, only: 'b' });
  }
  return out;
}

/** Counts of a marked list: how many only in a, only in b, in both. */
export function countSides<T>(m: Marked<T>[]): Record<Side, number> {
  const c: Record<Side, number> = { a: 0, b: 0, both: 0 };
  for (const x of m) c[x.only]++;
  return c;
}

/**
 * The paths of both views marked, from the full path lists of each view when
 * they are known; otherwise from the compare answer's "only in" lists alone.
 */
export function markPaths(
  pathsA: string[] | null,
  pathsB: string[] | null,
  onlyA: string[],
  onlyB: string[],
): Marked<string>[] {
  if (pathsA && pathsB) return markItems(pathsA, pathsB);
  return [...onlyA.map((p) => ({ item: p, only: 'a' as const })), ...onlyB.map((p) => ({ item: p, only: 'b' as const }))];
}

/** Text marker for a side, for those who cannot tell the colours apart. */
export function sideLabel(s: Side): string {
  return s === 'a' ? 'only in A' : s === 'b' ? 'only in B' : 'in both';
}

export const TAGS = ['own-router', 'upstream', 'collector', 'route-server'] as const;

export function isTag(name: string): boolean {
  return (TAGS as readonly string[]).includes(name);
}
