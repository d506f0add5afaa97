// Hash routing: the whole state of a view lives in location.hash, so a copied
// URL restores the view exactly. parseHash and formatHash are inverses.

export type SortDir = 'asc' | 'desc';

export interface OverviewView {
  page: 'overview';
}

export interface LgView {
  page: 'lg';
  /** what was searched: a prefix or "AS8342" */
  q: string;
  more: boolean;
  less: boolean;
  /** restrict the looking glass to one source ('' = all) */
  source: string;
  /** compare views (a source name or a tag; '' = none) */
  a: string;
  b: string;
  /** route filter text */
  rf: string;
  /** prefix selected among several (more/less specifics); '' = the queried one */
  p: string;
}

export interface SourcesView {
  page: 'sources';
  q: string;
  state: string;
  source: string;
  sort: string;
  dir: SortDir;
}

export type View = OverviewView | LgView | SourcesView;

export const DEFAULT_LG: LgView = { page: 'lg', q: '', more: false, less: false, source: '', a: '', b: '', rf: '', p: '' };
export const DEFAULT_SOURCES: SourcesView = { page: 'sources', q: '', state: '', source: '', sort: 'id', dir: 'asc' };

function flag(v: string | null): boolean {
  return v === '1' || v === 'true';
}

export function parseHash(hash: string): View {
  let h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!h.startsWith('/')) h = `/${h}`;
  const qi = h.indexOf('?');
  const path = (qi === -1 ? h : h.slice(0, qi)).replace(/\/+$/, '') || '/';
  const params = new URLSearchParams(qi === -1 ? '' : h.slice(qi + 1));
  const get = (k: string) => params.get(k) ?? '';
  switch (path) {
    case '/lg':
      return {
        page: 'lg',
        q: get('q'),
        more: flag(params.get('more')),
        less: flag(params.get('less')),
        source: get('source'),
        a: get('a'),
        b: get('b'),
        rf: get('rf'),
        p: get('p'),
      };
    case '/sources': {
      const dir = get('dir') === 'desc' ? 'desc' : 'asc';
      return {
        page: 'sources',
        q: get('q'),
        state: get('state'),
        source: get('source'),
        sort: get('sort') || DEFAULT_SOURCES.sort,
        dir,
      };
    }
    default:
      return { page: 'overview' };
  }
}

function build(path: string, pairs: [string, string | boolean][]): string {
  const params = new URLSearchParams();
  for (const [k, v] of pairs) {
    if (v === false || v === '') continue;
    params.set(k, v === true ? '1' : v);
  }
  const s = params.toString();
  return s ? `#${path}?${s}` : `#${path}`;
}

export function formatHash(v: View): string {
  switch (v.page) {
    case 'overview':
      return '#/';
    case 'lg':
      return build('/lg', [
        ['q', v.q], ['more', v.more], ['less', v.less], ['source', v.source],
        ['a', v.a], ['b', v.b], ['rf', v.rf], ['p', v.p],
      ]);
    case 'sources':
      return build('/sources', [
        ['q', v.q], ['state', v.state], ['source', v.source],
        ['sort', v.sort === DEFAULT_SOURCES.sort ? '' : v.sort], ['dir', v.dir === 'asc' ? '' : v.dir],
      ]);
  }
}

/** Link to the looking glass for a prefix or an ASN. */
export function lgHref(q: string, extra: Partial<LgView> = {}): string {
  return formatHash({ ...DEFAULT_LG, ...extra, q });
}

/**
 * What a view fetches: two views with the same key show the same data, so a
 * change between them (a filter typed, a sort) needs no new fetch.
 */
export function dataKey(v: View): string {
  switch (v.page) {
    case 'overview':
      return 'overview';
    case 'sources':
      return 'sources';
    case 'lg':
      return `lg|${v.q}|${v.more ? 1 : 0}|${v.less ? 1 : 0}|${v.source}|${v.a}|${v.b}`;
  }
}
