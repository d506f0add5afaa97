// Route list helpers for the looking glass: grouping and the filter box.
import type { Route, SourceSummary } from './types';

export interface RouteGroup {
  source: string;
  routes: Route[];
}

/** Routes grouped by source, in the order of the prefix's sources, then any other. */
export function groupBySource(routes: Route[], sources: SourceSummary[] = []): RouteGroup[] {
  const groups = new Map<string, Route[]>();
  for (const s of sources) groups.set(s.source, []);
  for (const r of routes) {
    let g = groups.get(r.source);
    if (!g) {
      g = [];
      groups.set(r.source, g);
    }
    g.push(r);
  }
  return [...groups.entries()].filter(([, rs]) => rs.length > 0).map(([source, rs]) => ({ source, routes: rs }));
}

function routeText(r: Route): string {
  return [
    r.vp.name, r.vp.address, `AS${r.vp.asn}`, r.source, r.as_path, r.next_hop, r.origin,
    ...r.communities, ...r.large_communities, r.rpki ? `${r.rpki.rov} ${r.rpki.aspa}` : '', r.stale ? 'stale' : '',
  ].join(' ').toLowerCase();
}

/**
 * Keeps the routes whose text holds every word of the filter. A word of
 * digits alone (or ASnnn) matches a whole AS in the path or the VP's ASN.
 */
export function filterRoutes(routes: Route[], filter: string): Route[] {
  const words = filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return routes;
  return routes.filter((r) => {
    const text = routeText(r);
    const asns = new Set(r.as_path.match(/\d+/g) ?? []);
    asns.add(String(r.vp.asn));
    return words.every((w) => {
      const asn = /^(?:as)?(\d+)$/.exec(w);
      if (asn) return asns.has(asn[1]);
      return text.includes(w);
    });
  });
}
