import { describe, expect, it } from 'vitest';
import { buildGraph, collapsePrepends, parsePath, tokenId } from './graph';
import type { Route } from './types';

function route(vpId: number, path: string, source = 'ris-2016', origin_asns?: number[]): Route {
  const toks = parsePath(path);
  return {
    source,
    vp: { id: vpId, name: `VP${vpId}`, address: `37.49.236.${vpId}`, asn: toks[0]?.asns[0] ?? 0, table: 'collector-peer', state: 'up' },
    stale: false, time: 1795821039, age: 1, as_path: path,
    origin_asns: origin_asns ?? (toks.length ? toks[toks.length - 1].asns : []),
    origin: 'IGP', next_hop: '37.49.236.1', communities: [], large_communities: [],
  };
}

// real paths for 195.128.159.0/24 from the demo daemon (rrc00-2002 and ris-2016)
const demo: Route[] = [
  route(10, '1853 1239 1299 8342 8342', 'rrc00-2002'),
  route(56, '34019 30781 6939 28917 43727 51230 56636'),
  route(49, '24482 174 28917 43727 51230 56636'),
  route(53, '49463 174 6762 31133 8905 8905 51230 56636'),
  route(54, '59689 30781 6939 28917 43727 51230 56636'),
];

describe('parsePath', () => {
  it('splits ASes and AS sets', () => {
    expect(parsePath('1853 1239 1299 8342 8342').map((t) => t.text)).toEqual(['1853', '1239', '1299', '8342', '8342']);
    const t = parsePath('3356 {64512 64513} 8342');
    expect(t).toHaveLength(3);
    expect(t[1]).toEqual({ text: '{64512 64513}', asns: [64512, 64513], isSet: true });
    expect(parsePath('')).toEqual([]);
    expect(parsePath('174 {7018,3356}')[1].asns).toEqual([7018, 3356]);
  });
  it('gives AS sets an order-free id', () => {
    expect(tokenId(parsePath('{2 1}')[0])).toBe(tokenId(parsePath('{1 2}')[0]));
    expect(tokenId(parsePath('8342')[0])).toBe('as:8342');
  });
  it('collapses prepends only when adjacent', () => {
    expect(collapsePrepends(parsePath('49463 174 6762 31133 8905 8905 8905 51230 56636')).map((t) => t.text))
      .toEqual(['49463', '174', '6762', '31133', '8905', '51230', '56636']);
    expect(collapsePrepends(parsePath('1 2 1')).map((t) => t.text)).toEqual(['1', '2', '1']);
  });
});

describe('buildGraph', () => {
  const g = buildGraph(demo);
  const node = (id: string) => g.nodes.find((n) => n.id === id)!;
  const edge = (id: string) => g.edges.find((e) => e.id === id)!;

  it('finds both origins of a MOAS prefix at level 0', () => {
    expect(g.nodes.filter((n) => n.role === 'origin').map((n) => n.id).sort()).toEqual(['as:56636', 'as:8342']);
    expect(node('as:8342').level).toBe(0);
    expect(node('as:56636').weight).toBe(4);
    expect(node('as:8342').weight).toBe(1);
  });
  it('collapses prepends into one node and one level', () => {
    expect(g.nodes.filter((n) => n.id === 'as:8905')).toHaveLength(1);
    expect(node('as:8905').level).toBe(2);
    expect(g.edges.some((e) => e.source === e.target)).toBe(false);
  });
  it('weights edges by distinct VPs', () => {
    expect(edge('as:51230>as:56636').weight).toBe(4);
    expect(edge('as:43727>as:51230').weight).toBe(3);
    expect(edge('as:30781>as:6939').weight).toBe(2);
    expect(edge('vp:56>as:34019').weight).toBe(1);
    // the same VP twice (ADD-PATH) still counts once
    const g2 = buildGraph([...demo, route(56, '34019 30781 6939 28917 43727 51230 56636')]);
    expect(g2.edges.find((e) => e.id === 'as:51230>as:56636')!.weight).toBe(4);
  });
  it('puts VPs on the outermost level', () => {
    const vps = g.nodes.filter((n) => n.role === 'vp');
    expect(vps).toHaveLength(5);
    const maxAs = Math.max(...g.nodes.filter((n) => n.role !== 'vp').map((n) => n.level));
    expect(maxAs).toBe(6); // 34019 30781 6939 28917 43727 51230 56636
    expect(vps.every((n) => n.level === maxAs + 1)).toBe(true);
    expect(g.maxLevel).toBe(7);
  });
  it('uses the shortest distance to the origin as level', () => {
    // 174 is 3 hops from the origin in "24482 174 28917 43727 51230 56636" and 5 in the 8905 path
    expect(node('as:174').level).toBe(4);
    expect(node('as:174').weight).toBe(2);
  });
  it('counts nodes and edges', () => {
    // ASes: 1853 1239 1299 8342 | 34019 30781 6939 28917 43727 51230 56636 24482 174 49463 6762 31133 8905 59689
    expect(g.nodes.filter((n) => n.role !== 'vp')).toHaveLength(18);
    // new edges per path, VP edge included: 4 + 7 + 3 + 6 + 2
    expect(g.edges).toHaveLength(22);
  });
  it('handles AS sets as one node', () => {
    const gs = buildGraph([route(1, '3356 {64513 64512}', 'x', [64512, 64513]), route(2, '174 {64512 64513}', 'x', [64512, 64513])]);
    const set = gs.nodes.find((n) => n.id === 'set:64512,64513')!;
    expect(set.role).toBe('origin');
    expect(set.label).toBe('{64512 64513}');
    expect(set.weight).toBe(2);
  });
  it('links a VP with an empty path to the origin it names, or skips it', () => {
    const ge = buildGraph([route(7, '', 'own', [64500]), route(8, '65001 64500', 'own'), route(9, '', 'own', [])]);
    expect(ge.edges.map((e) => e.id).sort()).toEqual(['as:65001>as:64500', 'vp:7>as:64500', 'vp:8>as:65001']);
    expect(ge.nodes.find((n) => n.id === 'as:64500')!.weight).toBe(2);
    expect(ge.nodes.some((n) => n.id === 'vp:9')).toBe(false);
  });
  it('marks an AS as origin when it originates in any path', () => {
    const gm = buildGraph([route(1, '174 3356', 'x'), route(2, '174 3356 8342', 'x')]);
    expect(gm.nodes.find((n) => n.id === 'as:3356')!.role).toBe('origin');
    expect(gm.nodes.find((n) => n.id === 'as:3356')!.level).toBe(0);
  });
  it('orders VPs by branch and places ASes between their VPs', () => {
    const vps = g.nodes.filter((n) => n.role === 'vp').sort((a, b) => a.order - b.order).map((n) => n.vpId);
    // read from the origin: 56636 51230 43727 28917 174 (49) < ... 28917 6939 30781 (56, 54) < 56636 51230 8905 (53) < 8342 (10)
    expect(vps).toEqual([49, 56, 54, 53, 10]);
    const o = (id: string) => g.nodes.find((n) => n.id === id)!.order;
    expect(o('as:30781')).toBeCloseTo((o('vp:56') + o('vp:54')) / 2, 9);
    expect(g.nodes.every((n) => n.order >= 0 && n.order < 1)).toBe(true);
  });
  it('is empty without routes', () => {
    expect(buildGraph([])).toEqual({ nodes: [], edges: [], maxLevel: 1 });
  });
});
