// Filtering and sorting of the VP table.
import type { Vp } from './types';

export interface VpFilter {
  /** free text: every word must match the name, address, ASN or source */
  q: string;
  /** '' for all, else up | down | stale */
  state: string;
  /** '' for all sources */
  source: string;
}

export type VpColumn = keyof Vp;

export const VP_COLUMNS: VpColumn[] = [
  'id', 'name', 'source', 'address', 'asn', 'table', 'state', 'since_us',
  'last_update_us', 'routes_v4', 'routes_v6', 'updates_per_s',
];

function matchesWord(vp: Vp, word: string): boolean {
  const w = word.toLowerCase();
  if (vp.name.toLowerCase().includes(w)) return true;
  if (vp.address.toLowerCase().includes(w)) return true;
  if (vp.source.toLowerCase().includes(w)) return true;
  const asn = /^(?:as)?(\d+)$/.exec(w);
  if (asn) return String(vp.asn) === asn[1] || String(vp.asn).includes(asn[1]);
  return false;
}

export function filterVps(vps: Vp[], f: VpFilter): Vp[] {
  const words = f.q.trim().split(/\s+/).filter(Boolean);
  return vps.filter(
    (vp) =>
      (!f.state || vp.state === f.state) &&
      (!f.source || vp.source === f.source) &&
      words.every((w) => matchesWord(vp, w)),
  );
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Compares two cell values: numbers numerically, text naturally ("AS9" < "AS10"). */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return collator.compare(String(a ?? ''), String(b ?? ''));
}

/** A stable sort on any column; ties keep the order given (the API's, by id). */
export function sortVps(vps: Vp[], column: string, dir: 'asc' | 'desc'): Vp[] {
  if (!VP_COLUMNS.includes(column as VpColumn)) return vps.slice();
  const key = column as VpColumn;
  const sign = dir === 'desc' ? -1 : 1;
  return vps
    .map((vp, i) => ({ vp, i }))
    .sort((x, y) => sign * compareValues(x.vp[key], y.vp[key]) || x.i - y.i)
    .map((e) => e.vp);
}
