import { describe, expect, it } from 'vitest';
import { countSides, isTag, markItems, markPaths, sideLabel } from './compare';

describe('markItems', () => {
  it('marks origins of a MOAS comparison (rrc00-2002 vs ris-2016)', () => {
    expect(markItems([8342], [56636])).toEqual([{ item: 8342, only: 'a' }, { item: 56636, only: 'b' }]);
  });
  it('marks shared items as both, in the order of A then B', () => {
    const m = markItems([1299, 174, 3356], [3356, 6939, 1299]);
    expect(m).toEqual([
      { item: 1299, only: 'both' }, { item: 174, only: 'a' }, { item: 3356, only: 'both' }, { item: 6939, only: 'b' },
    ]);
    expect(countSides(m)).toEqual({ a: 1, b: 1, both: 2 });
  });
  it('removes duplicates and handles empty sides', () => {
    expect(markItems([1, 1, 2], [])).toEqual([{ item: 1, only: 'a' }, { item: 2, only: 'a' }]);
    expect(markItems([], ['x', 'x'])).toEqual([{ item: 'x', only: 'b' }]);
    expect(markItems([], [])).toEqual([]);
  });
  it('takes a key function', () => {
    const m = markItems([{ asn: 1, paths: 3 }], [{ asn: 1, paths: 9 }], (x) => String(x.asn));
    expect(m).toEqual([{ item: { asn: 1, paths: 3 }, only: 'both' }]);
  });
});

describe('markPaths', () => {
  const a = ['1853 1239 1299 8342 8342'];
  const b = ['24482 174 28917 43727 51230 56636', '48526 174 28917 43727 51230 56636'];
  it('marks full path lists', () => {
    const m = markPaths([...a, b[0]], b, [], []);
    expect(m.map((x) => x.only)).toEqual(['a', 'both', 'b']);
  });
  it('falls back to the compare answer lists', () => {
    expect(markPaths(null, b, a, b)).toEqual([
      { item: a[0], only: 'a' }, { item: b[0], only: 'b' }, { item: b[1], only: 'b' },
    ]);
  });
});

describe('labels and tags', () => {
  it('gives a text marker for each side', () => {
    expect(sideLabel('a')).toBe('only in A');
    expect(sideLabel('b')).toBe('only in B');
    expect(sideLabel('both')).toBe('in both');
  });
  it('knows the tags', () => {
    expect(isTag('collector')).toBe(true);
    expect(isTag('rrc00-2002')).toBe(false);
  });
});
