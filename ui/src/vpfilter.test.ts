import { describe, expect, it } from 'vitest';
import type { Vp } from './types';
import { compareValues, filterVps, sortVps } from './vpfilter';

function vp(id: number, name: string, source: string, asn: number, state: Vp['state'], routes_v4: number, updates_per_s = 0): Vp {
  const address = name.split(' ')[0];
  return {
    id, name, source, address, asn, table: 'collector-peer', state,
    since_us: 1795821038293211 + id, last_update_us: 1795821040293294, routes_v4, routes_v6: id % 3,
    announcements: 0, withdrawals: 0, updates_per_s,
  };
}

const vps: Vp[] = [
  vp(0, '200.219.130.10 AS19089', 'rrc15-2010', 19089, 'up', 13, 14),
  vp(1, '200.160.0.137 AS22548', 'rrc15-2010', 22548, 'up', 36, 14),
  vp(10, '193.203.0.1 AS1853', 'rrc00-2002', 1853, 'up', 115521),
  vp(49, '37.49.236.228 AS24482', 'ris-2016', 24482, 'stale', 120, 3),
  vp(53, '37.49.236.145 AS49463', 'ris-2016', 49463, 'down', 0),
  vp(56, '37.49.236.71 AS34019', 'ris-2016', 34019, 'up', 36, 2),
  vp(9, '2001:7f8:1::a503:4019:1 AS34019', 'ris-2016', 34019, 'up', 0),
];
const all = { q: '', state: '', source: '' };
const ids = (l: Vp[]) => l.map((v) => v.id);

describe('filterVps', () => {
  it('keeps everything with an empty filter', () => {
    expect(filterVps(vps, all)).toHaveLength(vps.length);
  });
  it('filters by state and source', () => {
    expect(ids(filterVps(vps, { ...all, state: 'up' }))).toEqual([0, 1, 10, 56, 9]);
    expect(ids(filterVps(vps, { ...all, state: 'stale' }))).toEqual([49]);
    expect(ids(filterVps(vps, { ...all, source: 'ris-2016', state: 'up' }))).toEqual([56, 9]);
  });
  it('matches name, address, ASN and source text', () => {
    expect(ids(filterVps(vps, { ...all, q: '37.49.236' }))).toEqual([49, 53, 56]);
    expect(ids(filterVps(vps, { ...all, q: 'AS34019' }))).toEqual([56, 9]);
    expect(ids(filterVps(vps, { ...all, q: '34019' }))).toEqual([56, 9]);
    expect(ids(filterVps(vps, { ...all, q: 'rrc00' }))).toEqual([10]);
    expect(ids(filterVps(vps, { ...all, q: '2001:7F8' }))).toEqual([9]);
    expect(ids(filterVps(vps, { ...all, q: 'ris-2016 AS24482' }))).toEqual([49]);
    expect(ids(filterVps(vps, { ...all, q: 'nothing-like-this' }))).toEqual([]);
  });
});

describe('sortVps', () => {
  it('sorts numbers numerically, both directions', () => {
    expect(ids(sortVps(vps, 'routes_v4', 'asc'))).toEqual([53, 9, 0, 1, 56, 49, 10]);
    expect(ids(sortVps(vps, 'routes_v4', 'desc'))).toEqual([10, 49, 1, 56, 0, 53, 9]);
    expect(ids(sortVps(vps, 'asn', 'asc'))).toEqual([10, 0, 1, 49, 56, 9, 53]);
  });
  it('is stable: ties keep the given order', () => {
    // 1 and 56 both have 36 routes; 53 and 9 both 0
    const s = sortVps(vps, 'routes_v4', 'asc');
    expect(ids(s).indexOf(1)).toBeLessThan(ids(s).indexOf(56));
    expect(ids(sortVps(vps, 'updates_per_s', 'desc'))).toEqual([0, 1, 49, 56, 10, 53, 9]);
  });
  it('sorts text naturally', () => {
    // numeric parts compare as numbers: 37.49.236.71 < 37.49.236.145, IPv4 before 2001:...
    expect(ids(sortVps(vps, 'address', 'asc'))).toEqual([56, 53, 49, 10, 1, 0, 9]);
    expect(ids(sortVps(vps, 'source', 'asc'))).toEqual([49, 53, 56, 9, 10, 0, 1]);
    expect(ids(sortVps(vps, 'state', 'asc'))).toEqual([53, 49, 0, 1, 10, 56, 9]);
  });
  it('ignores an unknown column and never mutates its input', () => {
    const copy = vps.slice();
    expect(ids(sortVps(vps, 'bogus', 'desc'))).toEqual(ids(vps));
    sortVps(vps, 'asn', 'desc');
    expect(vps).toEqual(copy);
  });
  it('compares mixed values', () => {
    expect(compareValues(2, 10)).toBeLessThan(0);
    expect(compareValues('AS9', 'AS10')).toBeLessThan(0);
    expect(compareValues(true, false)).toBeGreaterThan(0);
  });
});
