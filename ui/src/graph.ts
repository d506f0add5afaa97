// The AS-path graph of a prefix, built from its routes: one node per AS (or
// AS set), one per VP, edges weighted by the distinct VPs whose path uses them.
import type { Route } from './types';

export interface PathToken {
  /** as shown: "8342" or "{1 2}" */
  text: string;
  /** the AS numbers (one, or the members of an AS set) */
  asns: number[];
  isSet: boolean;
}

/** Splits an AS path string as the API gives it ("1853 1239 {1 2} 8342"). */
export function parsePath(path: string): PathToken[] {
  const out: PathToken[] = [];
  const re = /\{([^}]*)\}|(\d+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path)) !== null) {
    if (m[1] !== undefined) {
      const asns = m[1].split(/[\s,]+/).filter(Boolean).map(Number);
      out.push({ text: `{${asns.join(' ')}}`, asns, isSet: true });
    } else {
      out.push({ text: m[2], asns: [Number(m[2])], isSet: false });
    }
  }
  return out;
}

/** Node id of a path token; an AS set's members are sorted, so {2 1} = {1 2}. */
export function tokenId(t: PathToken): string {
  return t.isSet ? `set:${[...t.asns].sort((a, b) => a - b).join(',')}` : `as:${t.asns[0]}`;
}

/** Path tokens with prepends (the same AS repeated in a row) collapsed. */
export function collapsePrepends(tokens: PathToken[]): PathToken[] {
  const out: PathToken[] = [];
  for (const t of tokens) {
    if (out.length && tokenId(out[out.length - 1]) === tokenId(t)) continue;
    out.push(t);
  }
  return out;
}

export type NodeRole = 'origin' | 'transit' | 'vp';

export interface GraphNode {
  id: string;
  label: string;
  role: NodeRole;
  /** AS nodes: the AS (an AS set: undefined) */
  asn?: number;
  /** AS set members */
  members?: number[];
  /** VP nodes: the VP's id and source */
  vpId?: number;
  source?: string;
  /** distance from the origin: 0 for origins; VPs on the outermost level */
  level: number;
  /** distinct VPs whose path goes through this node (a VP: 1) */
  weight: number;
  /**
   * Place around the rings, 0..1: the VPs are sorted by their path read from
   * the origin (so VPs sharing a branch sit together) and an AS takes the mean
   * place of the VPs through it; drawn in this order, edges seldom cross.
   */
  order: number;
}

export interface GraphEdge {
  id: string;
  /** the end nearer the VPs */
  source: string;
  /** the end nearer the origin */
  target: string;
  weight: number;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  maxLevel: number;
}

/**
 * Builds the graph. Each VP is its own node linked to the first AS of its
 * path; a VP with an empty path (in the origin AS itself) is linked to the
 * origin ASes the route names, or left out when it names none.
 */
export function buildGraph(routes: Route[]): Graph {
  const nodes = new Map<string, GraphNode>();
  const nodeVps = new Map<string, Set<number>>();
  const edgeVps = new Map<string, { source: string; target: string; vps: Set<number> }>();
  const origins = new Set<string>();
  const vpKey = new Map<number, string>();

  const addAs = (t: PathToken): string => {
    const id = tokenId(t);
    if (!nodes.has(id)) {
      nodes.set(id, t.isSet
        ? { id, label: `{${[...t.asns].sort((a, b) => a - b).join(' ')}}`, role: 'transit', members: [...t.asns].sort((a, b) => a - b), level: Infinity, weight: 0, order: 0 }
        : { id, label: `AS${t.asns[0]}`, role: 'transit', asn: t.asns[0], level: Infinity, weight: 0, order: 0 });
      nodeVps.set(id, new Set());
    }
    return id;
  };
  const addEdge = (source: string, target: string, vp: number) => {
    const id = `${source}>${target}`;
    let e = edgeVps.get(id);
    if (!e) {
      e = { source, target, vps: new Set() };
      edgeVps.set(id, e);
    }
    e.vps.add(vp);
  };

  for (const r of routes) {
    let hops = collapsePrepends(parsePath(r.as_path));
    if (hops.length === 0) {
      if (!r.origin_asns || r.origin_asns.length === 0) continue;
      hops = [{ text: String(r.origin_asns[0]), asns: [r.origin_asns[0]], isSet: false }];
    }
    const vpNode = `vp:${r.vp.id}`;
    if (!nodes.has(vpNode)) {
      nodes.set(vpNode, { id: vpNode, label: r.vp.name, role: 'vp', vpId: r.vp.id, source: r.source, level: 0, weight: 1, order: 0 });
    }
    const ids = hops.map(addAs);
    if (!vpKey.has(r.vp.id)) vpKey.set(r.vp.id, [...ids].reverse().join(' '));
    origins.add(ids[ids.length - 1]);
    ids.forEach((id, i) => {
      nodeVps.get(id)!.add(r.vp.id);
      const n = nodes.get(id)!;
      n.level = Math.min(n.level, ids.length - 1 - i);
    });
    addEdge(vpNode, ids[0], r.vp.id);
    for (let i = 0; i + 1 < ids.length; i++) {
      if (ids[i] !== ids[i + 1]) addEdge(ids[i], ids[i + 1], r.vp.id);
    }
  }

  let maxLevel = 0;
  for (const n of nodes.values()) {
    if (n.role === 'vp') continue;
    if (origins.has(n.id)) {
      n.role = 'origin';
      n.level = 0;
    }
    n.weight = nodeVps.get(n.id)!.size;
    maxLevel = Math.max(maxLevel, n.level);
  }
  const vpLevel = maxLevel + 1;
  for (const n of nodes.values()) if (n.role === 'vp') n.level = vpLevel;

  const vpOrder = [...vpKey.entries()].sort((x, y) => x[1].localeCompare(y[1]) || x[0] - y[0]);
  const place = new Map<number, number>();
  vpOrder.forEach(([id], i) => place.set(id, vpOrder.length > 1 ? i / vpOrder.length : 0));
  for (const n of nodes.values()) {
    if (n.role === 'vp') n.order = place.get(n.vpId!) ?? 0;
    else {
      const vps = [...nodeVps.get(n.id)!];
      n.order = vps.length ? vps.reduce((s, v) => s + (place.get(v) ?? 0), 0) / vps.length : 0;
    }
  }

  const roleOrder: Record<NodeRole, number> = { origin: 0, transit: 1, vp: 2 };
  const nodeList = [...nodes.values()].sort(
    (a, b) => roleOrder[a.role] - roleOrder[b.role] || a.level - b.level || b.weight - a.weight || a.id.localeCompare(b.id),
  );
  const edges = [...edgeVps.entries()]
    .map(([id, e]) => ({ id, source: e.source, target: e.target, weight: e.vps.size }))
    .sort((a, b) => b.weight - a.weight || a.id.localeCompare(b.id));
  return { nodes: nodeList, edges, maxLevel: vpLevel };
}
