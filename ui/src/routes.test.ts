import { describe, expect, it } from 'vitest';
import { filterRoutes, groupBySource } from './routes';
import type { Route } from './types';

function route(id: number, source: string, path: string, communities: string[] = []): Route {
  return {
    source, vp: { id, name: `37.49.236.${id} AS${path.split(' ')[0]}`, address: `37.49.236.${id}`, asn: Number(path.split(' ')[0]), table: 'collector-peer', state: 'up' },
    stale: id === 53, time: 0, age: 1, as_path: path, origin_asns: [56636], origin: 'IGP', next_hop: `37.49.236.${id}`,
    communities, large_communities: [],
  };
}

const routes = [
  route(10, 'rrc00-2002', '1853 1239 1299 8342 8342'),
  route(56, 'ris-2016', '34019 30781 6939 28917 43727 51230 56636', ['30781:22009', '34019:65535']),
  route(49, 'ris-2016', '24482 174 28917 43727 51230 56636', ['174:21101']),
  route(53, 'ris-2016', '49463 174 6762 31133 8905 8905 51230 56636'),
];

describe('groupBySource', () => {
  it('follows the order of the prefix sources and skips empty groups', () => {
    const g = groupBySource(routes, [
      { source: 'ris-2016', routes: 3, vps_seeing: 3, vps_up: 14, origins: [], upstreams: [] },
      { source: 'rrc15-2010', routes: 0, vps_seeing: 0, vps_up: 3, origins: [], upstreams: [] },
      { source: 'rrc00-2002', routes: 1, vps_seeing: 1, vps_up: 36, origins: [], upstreams: [] },
    ]);
    expect(g.map((x) => [x.source, x.routes.length])).toEqual([['ris-2016', 3], ['rrc00-2002', 1]]);
  });
  it('adds groups for sources not listed', () => {
    expect(groupBySource(routes).map((x) => x.source)).toEqual(['rrc00-2002', 'ris-2016']);
  });
});

describe('filterRoutes', () => {
  const ids = (rs: Route[]) => rs.map((r) => r.vp.id);
  it('keeps all with no filter', () => {
    expect(filterRoutes(routes, '  ')).toBe(routes);
  });
  it('matches whole ASes in the path', () => {
    expect(ids(filterRoutes(routes, '174'))).toEqual([49, 53]);
    expect(ids(filterRoutes(routes, 'AS8342'))).toEqual([10]);
    // 1239 is in a path; 123 is in none as a whole AS and in no text
    expect(ids(filterRoutes(routes, '1239'))).toEqual([10]);
    expect(ids(filterRoutes(routes, '123'))).toEqual([]);
  });
  it('matches communities, next hops, states and several words', () => {
    expect(ids(filterRoutes(routes, '34019:65535'))).toEqual([56]);
    expect(ids(filterRoutes(routes, '37.49.236.4'))).toEqual([49]);
    expect(ids(filterRoutes(routes, 'stale'))).toEqual([53]);
    expect(ids(filterRoutes(routes, 'ris-2016 174 28917'))).toEqual([49]);
  });
});
