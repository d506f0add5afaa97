import { describe, expect, it } from 'vitest';
import { DEFAULT_LG, DEFAULT_SOURCES, dataKey, formatHash, lgHref, parseHash, type View } from './route';

describe('parseHash', () => {
  it('defaults to the overview', () => {
    expect(parseHash('')).toEqual({ page: 'overview' });
    expect(parseHash('#')).toEqual({ page: 'overview' });
    expect(parseHash('#/')).toEqual({ page: 'overview' });
    expect(parseHash('#/nonsense?x=1')).toEqual({ page: 'overview' });
  });
  it('reads the looking glass state', () => {
    expect(parseHash('#/lg?q=195.128.159.0%2F24&more=1&source=ris-2016&a=rrc00-2002&b=collector&rf=174')).toEqual({
      ...DEFAULT_LG, q: '195.128.159.0/24', more: true, source: 'ris-2016', a: 'rrc00-2002', b: 'collector', rf: '174',
    });
    expect(parseHash('#/lg?q=AS8342&less=true')).toMatchObject({ q: 'AS8342', less: true, more: false });
    // an unencoded slash in the query works too (hand-typed URLs)
    expect(parseHash('#/lg?q=1.0.4.0/24')).toMatchObject({ page: 'lg', q: '1.0.4.0/24' });
    expect(parseHash('lg/?q=2001:db8::/32')).toMatchObject({ page: 'lg', q: '2001:db8::/32' });
  });
  it('reads the sources state with defaults', () => {
    expect(parseHash('#/sources')).toEqual(DEFAULT_SOURCES);
    expect(parseHash('#/sources?q=AS&state=up&sort=routes_v4&dir=desc&source=rrc15-2010')).toEqual({
      page: 'sources', q: 'AS', state: 'up', source: 'rrc15-2010', sort: 'routes_v4', dir: 'desc',
    });
    expect(parseHash('#/sources?dir=sideways')).toMatchObject({ dir: 'asc' });
  });
});

describe('formatHash round trip', () => {
  const views: View[] = [
    { page: 'overview' },
    DEFAULT_LG,
    { ...DEFAULT_LG, q: '195.128.159.0/24' },
    { ...DEFAULT_LG, q: '2001:db8::/32', more: true, less: true, source: 'ris-2016', a: 'upstream', b: 'own-router', rf: 'AS 174 & "x"', p: '2001:db8:1::/48' },
    { ...DEFAULT_LG, q: 'AS8342' },
    DEFAULT_SOURCES,
    { page: 'sources', q: '37.49 AS', state: 'stale', source: 'ris-2016', sort: 'updates_per_s', dir: 'desc' },
  ];
  for (const v of views) {
    it(`round-trips ${JSON.stringify(v)}`, () => {
      expect(parseHash(formatHash(v))).toEqual(v);
    });
  }
  it('omits defaults', () => {
    expect(formatHash({ page: 'overview' })).toBe('#/');
    expect(formatHash(DEFAULT_SOURCES)).toBe('#/sources');
    expect(formatHash({ ...DEFAULT_LG, q: 'AS8342' })).toBe('#/lg?q=AS8342');
    expect(lgHref('1.0.4.0/24', { more: true })).toBe('#/lg?q=1.0.4.0%2F24&more=1');
  });
});

describe('dataKey', () => {
  it('ignores what needs no new fetch', () => {
    const a = { ...DEFAULT_LG, q: '1.0.4.0/24' };
    expect(dataKey(a)).toBe(dataKey({ ...a, rf: '7018', p: '1.0.4.0/24' }));
    expect(dataKey(a)).not.toBe(dataKey({ ...a, more: true }));
    expect(dataKey(a)).not.toBe(dataKey({ ...a, b: 'collector' }));
    expect(dataKey(DEFAULT_SOURCES)).toBe(dataKey({ ...DEFAULT_SOURCES, q: 'x', sort: 'asn' }));
  });
});
