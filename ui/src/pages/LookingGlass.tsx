import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText, getToken, wsUrl } from '../api';
import { AsnLink, ErrorBox, Num } from '../components/common';
import { AsPathGraph } from '../components/Graph';
import { AsnView } from './AsnView';
import { isTag, markItems, markPaths, sideLabel, TAGS, type Marked } from '../compare';
import { formatAge, formatNumber, percent } from '../format';
import { parsePath } from '../graph';
import { useAuthVersion } from '../hooks';
import type { Navigate } from '../main';
import { parseQuery, queryText } from '../query';
import { formatHash, lgHref, type LgView } from '../route';
import { filterRoutes, groupBySource } from '../routes';
import { setLoaded, setLoading } from '../status';
import type { CompareAnswer, CompareEntry, PrefixAnswer, PrefixEntry, Route } from '../types';

const EXAMPLES = ['195.128.159.0/24', 'AS8342', '2001:db8::/32'];

export function LookingGlass(props: { view: LgView; navigate: Navigate }) {
  const { view, navigate } = props;
  const [text, setText] = useState(view.q);
  const [inputError, setInputError] = useState('');
  const [sourceNames, setSourceNames] = useState<string[]>([]);
  const auth = useAuthVersion();

  useEffect(() => {
    setText(view.q);
    setInputError('');
  }, [view.q]);

  useEffect(() => {
    api.sources().then((s) => setSourceNames(s.map((x) => x.name))).catch(() => undefined);
  }, [auth]);

  const parsed = view.q ? parseQuery(view.q) : null;
  useEffect(() => {
    if (!parsed || parsed.kind === 'error') setLoaded(true);
  }, [view.q]);

  const submit = (e: Event) => {
    e.preventDefault();
    const q = parseQuery(text);
    if (q.kind === 'error') {
      setInputError(q.error);
      return;
    }
    setInputError('');
    navigate({ ...view, q: queryText(q), p: '', rf: '' });
  };

  return (
    <div class="page lg">
      <h1>Looking glass</h1>
      <form class="lg-form" role="search" onSubmit={submit} noValidate>
        <div class="lg-search">
          <label for="lg-q">Prefix or ASN</label>
          <input
            id="lg-q"
            data-testid="lg-input"
            type="text"
            value={text}
            placeholder="195.128.159.0/24, 2001:db8::/32, AS8342"
            autoComplete="off"
            spellcheck={false}
            aria-invalid={inputError ? 'true' : undefined}
            aria-describedby={inputError ? 'lg-input-error' : undefined}
            onInput={(e) => setText((e.target as HTMLInputElement).value)}
          />
          <button type="submit" data-testid="lg-submit">Look up</button>
        </div>
        <div class="lg-opts">
          <label class="check">
            <input
              type="checkbox"
              data-testid="lg-more"
              checked={view.more}
              onChange={(e) => navigate({ ...view, more: (e.target as HTMLInputElement).checked, p: '' })}
            />
            More-specifics
          </label>
          <label class="check">
            <input
              type="checkbox"
              data-testid="lg-less"
              checked={view.less}
              onChange={(e) => navigate({ ...view, less: (e.target as HTMLInputElement).checked, p: '' })}
            />
            Less-specifics
          </label>
          <label>
            Source
            <select
              data-testid="lg-source"
              value={view.source}
              onChange={(e) => navigate({ ...view, source: (e.target as HTMLSelectElement).value })}
            >
              <option value="">all sources</option>
              {sourceNames.map((n) => <option key={n} value={n}>{n}</option>)}
              {view.source && !sourceNames.includes(view.source) && <option value={view.source}>{view.source}</option>}
            </select>
          </label>
        </div>
        {inputError && (
          <p id="lg-input-error" class="error" role="alert" data-testid="lg-error">{inputError}</p>
        )}
      </form>

      {!view.q && (
        <p class="muted">
          Try {EXAMPLES.map((x, i) => <span key={x}>{i > 0 && ', '}<a href={lgHref(x)}>{x}</a></span>)}.
        </p>
      )}
      {parsed?.kind === 'error' && !inputError && <ErrorBox testid="lg-error">{parsed.error}</ErrorBox>}
      {parsed?.kind === 'asn' && <AsnView key={parsed.asn} asn={parsed.asn} />}
      {parsed?.kind === 'prefix' && (
        <PrefixView key={parsed.prefix} prefix={parsed.prefix} view={view} navigate={navigate} sourceNames={sourceNames} />
      )}
    </div>
  );
}

interface CompareData {
  answer: CompareAnswer;
  pathsA: Map<string, string[]> | null;
  pathsB: Map<string, string[]> | null;
}

function pathsByPrefix(a: PrefixAnswer): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const p of a.prefixes) m.set(p.prefix, [...new Set(p.routes.map((r) => r.as_path))]);
  return m;
}

function sideQuery(name: string): { source?: string; tag?: string } {
  return isTag(name) ? { tag: name } : { source: name };
}

type LiveMode = 'connecting' | 'ws' | 'polling';

function PrefixView(props: { prefix: string; view: LgView; navigate: Navigate; sourceNames: string[] }) {
  const { prefix, view, navigate } = props;
  const [data, setData] = useState<PrefixAnswer | null>(null);
  const [error, setError] = useState('');
  const [cmp, setCmp] = useState<CompareData | null>(null);
  const [cmpError, setCmpError] = useState('');
  const [live, setLive] = useState<LiveMode>('connecting');
  const [updatedAt, setUpdatedAt] = useState(0);
  // the API answered with no token: the stream may be opened (a browser
  // cannot send a token on a WebSocket)
  const [open, setOpen] = useState(false);
  const auth = useAuthVersion();
  const seq = useRef(0);
  const inflight = useRef(false);
  const again = useRef(false);

  const { more, less, source, a, b } = view;
  const wantCmp = a !== '' && b !== '';

  const fetchAll = async (background: boolean) => {
    if (inflight.current && background) {
      again.current = true;
      return;
    }
    inflight.current = true;
    const my = ++seq.current;
    setLoading(true);
    try {
      const main = api.prefix(prefix, { more, less, source });
      const cmpP = wantCmp
        ? Promise.all([
            api.compare(prefix, a, b, { more, less }),
            api.prefix(prefix, { more, less, ...sideQuery(a) }).then(pathsByPrefix, () => null),
            api.prefix(prefix, { more, less, ...sideQuery(b) }).then(pathsByPrefix, () => null),
          ])
        : null;
      try {
        const d = await main;
        if (my !== seq.current) return;
        setData(d);
        setError('');
        setOpen(getToken() === '');
      } catch (e) {
        if (my !== seq.current) return;
        setError(errorText(e));
        if (!background) setData(null);
      }
      if (cmpP) {
        try {
          const [answer, pathsA, pathsB] = await cmpP;
          if (my !== seq.current) return;
          setCmp({ answer, pathsA, pathsB });
          setCmpError('');
        } catch (e) {
          if (my !== seq.current) return;
          setCmpError(errorText(e));
        }
      } else {
        setCmp(null);
        setCmpError('');
      }
      setUpdatedAt(Date.now());
      setLoaded(true);
    } finally {
      if (my === seq.current) setLoading(false);
      inflight.current = false;
      if (again.current) {
        again.current = false;
        void fetchAll(true);
      }
    }
  };
  const fetchRef = useRef(fetchAll);
  fetchRef.current = fetchAll;

  useEffect(() => {
    setData(null);
    setCmp(null);
    setError('');
    inflight.current = false;
    void fetchRef.current(false);
  }, [prefix, more, less, source, a, b, auth]);

  // live: a RIS Live subscription re-fetches on each update; polling as fallback
  useEffect(() => {
    let stopped = false;
    let ws: WebSocket | null = null;
    let wsOk = false;
    let debounce: number | undefined;
    let poll: number | undefined;
    let retry: number | undefined;
    const token = getToken();

    const schedulePoll = () => {
      poll = window.setTimeout(async () => {
        if (document.visibilityState !== 'hidden') await fetchRef.current(true);
        if (!stopped) schedulePoll();
      }, wsOk && !token ? 5000 : 2000);
    };
    const connect = () => {
      if (stopped) return;
      if (token || !open || typeof WebSocket === 'undefined') {
        setLive('polling');
        return;
      }
      try {
        ws = new WebSocket(wsUrl());
      } catch {
        setLive('polling');
        return;
      }
      ws.onopen = () => {
        wsOk = true;
        setLive('ws');
        ws?.send(JSON.stringify({ type: 'ris_subscribe', data: { prefix, moreSpecific: more, lessSpecific: less } }));
      };
      ws.onmessage = (ev: MessageEvent) => {
        let type = '';
        try {
          type = (JSON.parse(String(ev.data)) as { type?: string }).type ?? '';
        } catch {
          return;
        }
        if (type !== 'ris_message' || debounce !== undefined) return;
        debounce = window.setTimeout(() => {
          debounce = undefined;
          void fetchRef.current(true);
        }, 300);
      };
      ws.onclose = () => {
        wsOk = false;
        ws = null;
        if (stopped) return;
        setLive('polling');
        retry = window.setTimeout(connect, 10000);
      };
    };
    connect();
    schedulePoll();
    return () => {
      stopped = true;
      clearTimeout(debounce);
      clearTimeout(poll);
      clearTimeout(retry);
      if (ws) {
        ws.onclose = null;
        ws.close();
      }
    };
  }, [prefix, more, less, auth, open]);

  const entries = data?.prefixes ?? [];
  const sel = entries.find((e) => e.prefix === view.p) ?? entries.find((e) => e.prefix === prefix) ?? entries[0];

  return (
    <div class="prefix-view">
      <p class="live muted small" aria-live="polite" data-testid="lg-live" data-mode={live}>
        {live === 'ws' ? '● Live: updates as they arrive (RIS Live stream), checked every 5 s'
          : live === 'polling' ? '● Live: refreshed every 2 s' : 'Connecting to the live stream…'}
        {updatedAt > 0 && <> · updated {new Date(updatedAt).toLocaleTimeString()}</>}
      </p>
      {error && <ErrorBox testid="lg-error">{error}</ErrorBox>}
      {data && entries.length === 0 && (
        <p class="empty">
          No route for <strong>{prefix}</strong>
          {more || less ? ' nor its ' + [more && 'more-specifics', less && 'less-specifics'].filter(Boolean).join(' or ') : ''}.
        </p>
      )}
      {entries.length > 1 && (
        <h2 class="multi-h">
          {formatNumber(entries.length)} prefixes ({data?.match}); showing routes of <span class="mono">{sel?.prefix}</span>
        </h2>
      )}
      {entries.length > 1 && (
        <ul class="prefix-list">
          {entries.map((e) =>
            e === sel ? null : (
              <li key={e.prefix} data-testid="lg-prefix" data-prefix={e.prefix} data-selected="false" class="prefix-item">
                <a class="mono" href={formatHash({ ...view, p: e.prefix, rf: '' })}>{e.prefix}</a>
                <span class="muted">
                  {' '}{formatNumber(e.summary.vps_seeing)} of {formatNumber(e.summary.vps_up)} VPs, {formatNumber(e.summary.routes)} routes, origin{' '}
                  {e.summary.origins.map((o) => `AS${o}`).join(' ') || '–'}
                </span>
              </li>
            ),
          )}
        </ul>
      )}
      {sel && (
        <PrefixDetail
          entry={sel}
          view={view}
          navigate={navigate}
          multi={entries.length > 1}
          sourceNames={props.sourceNames}
          cmp={cmp}
          cmpError={cmpError}
          wantCmp={wantCmp}
        />
      )}
    </div>
  );
}

function PrefixDetail(props: {
  entry: PrefixEntry;
  view: LgView;
  navigate: Navigate;
  multi: boolean;
  sourceNames: string[];
  cmp: CompareData | null;
  cmpError: string;
  wantCmp: boolean;
}) {
  const { entry, view, navigate } = props;
  const s = entry.summary;
  const routes = filterRoutes(entry.routes, view.rf);
  const groups = groupBySource(routes, entry.sources);
  const hasRpki = entry.routes.some((r) => r.rpki);

  return (
    <section class="prefix-block" data-testid="lg-prefix" data-prefix={entry.prefix} data-selected="true" aria-labelledby="pfx-h">
      <h2 id="pfx-h" class="mono">{entry.prefix}</h2>
      <div class="summary-line" aria-live="polite">
        Seen by <Num testid="lg-vps-seeing" value={s.vps_seeing} /> of <Num testid="lg-vps-up" value={s.vps_up} /> VPs up
        {(s.vps_stale ?? 0) > 0 && (
          <>
            {' · '}<span class="badge warn" title="Their feed is down: these routes are kept from before, what the VPs see now is unknown">
              <Num testid="lg-vps-stale" value={s.vps_stale ?? 0} /> VPs stale (feed down)
            </span>
          </>
        )}
        {' · '}<Num testid="lg-routes" value={s.routes} /> routes
        {' · '}origin{s.origins.length === 1 ? '' : 's'}{' '}
        {s.origins.length ? s.origins.map((o) => <span key={o}><AsnLink asn={o} testid="lg-origin" />{' '}</span>) : '–'}
        {s.origins.length > 1 && <span class="badge warn">MOAS</span>}
        {' · '}upstream{s.upstreams.length === 1 ? '' : 's'}{' '}
        {s.upstreams.length ? s.upstreams.map((u) => <span key={u}><AsnLink asn={u} testid="lg-upstream" />{' '}</span>) : '–'}
      </div>

      <div class="lg-grid">
        <section aria-labelledby="vis-h" class="visibility">
          <h3 id="vis-h">Visibility per source</h3>
          <ul class="bars">
            {entry.sources.map((src) => (
              <li
                key={src.source}
                data-testid="lg-visibility"
                data-source={src.source}
                data-seeing={String(src.vps_seeing)}
                data-up={String(src.vps_up)}
              >
                <span class="bar-label">{src.source}</span>
                <span class="bar" role="img" aria-label={`${src.vps_seeing} of ${src.vps_up} VPs up`}>
                  <span class="bar-fill" style={{ width: `${percent(src.vps_seeing, src.vps_up)}%` }} />
                </span>
                <span class="bar-num">{src.vps_seeing} / {src.vps_up}</span>
              </li>
            ))}
          </ul>
        </section>
        <ComparePanel {...props} />
      </div>

      <AsPathGraph routes={entry.routes} />

      <section aria-labelledby="routes-h" class="routes">
        <div class="routes-head">
          <h3 id="routes-h">Routes</h3>
          <label>
            Filter routes
            <input
              type="search"
              data-testid="lg-filter"
              value={view.rf}
              placeholder="AS, community, next hop, VP…"
              onInput={(e) => navigate({ ...view, rf: (e.target as HTMLInputElement).value }, true)}
            />
          </label>
          <span class="muted" aria-live="polite" data-testid="lg-route-count" data-value={String(routes.length)}>
            {routes.length} of {entry.routes.length} routes
          </span>
        </div>
        {groups.map((g) => {
          const ss = entry.sources.find((x) => x.source === g.source);
          return (
            <details open key={g.source} class="group" data-testid="lg-group" data-source={g.source}>
              <summary>
                <strong>{g.source}</strong>{' '}
                <span class="muted">
                  {g.routes.length} route{g.routes.length === 1 ? '' : 's'}
                  {ss ? ` · seen by ${ss.vps_seeing} of ${ss.vps_up} VPs up` : ''}
                </span>
              </summary>
              <RouteTable routes={g.routes} prefix={entry.prefix} rpki={hasRpki} />
            </details>
          );
        })}
        {routes.length === 0 && entry.routes.length > 0 && <p class="muted">No route matches the filter.</p>}
      </section>
    </section>
  );
}

function AsPath(props: { path: string }) {
  const toks = parsePath(props.path);
  if (toks.length === 0) return <span class="muted">(empty: local)</span>;
  return (
    <span class="path">
      {toks.map((t, i) => (
        <span key={i}>
          {i > 0 && ' '}
          {t.isSet ? (
            <span class="as-set" title="AS set">
              {'{'}
              {t.asns.map((a, j) => <span key={a}>{j > 0 && ' '}<a href={lgHref(`AS${a}`)}>{a}</a></span>)}
              {'}'}
            </span>
          ) : (
            <a href={lgHref(`AS${t.asns[0]}`)}>{t.text}</a>
          )}
        </span>
      ))}
    </span>
  );
}

function RouteTable(props: { routes: Route[]; prefix: string; rpki: boolean }) {
  const rows = props.routes.slice().sort((x, y) => x.vp.id - y.vp.id || (x.path_id ?? 0) - (y.path_id ?? 0));
  return (
    <div class="table-wrap">
      <table class="grid routes-table">
        <thead>
          <tr>
            <th scope="col">VP</th><th scope="col">VP ASN</th><th scope="col">AS path</th><th scope="col">Next hop</th>
            <th scope="col">Origin</th><th scope="col">Communities</th><th scope="col" class="num">Age</th>
            {props.rpki && <th scope="col">RPKI</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={`${r.vp.id}-${r.path_id ?? 0}`}
              data-testid="lg-route"
              data-vp-id={String(r.vp.id)}
              data-path={r.as_path}
              data-prefix={props.prefix}
              class={r.stale ? 'stale' : undefined}
            >
              <th scope="row" class="vp-name">
                {r.vp.name}
                {r.stale && <span class="badge st-stale" title="kept through a gap of its source">stale</span>}
              </th>
              <td><AsnLink asn={r.vp.asn} /></td>
              <td class="mono"><AsPath path={r.as_path} /></td>
              <td class="mono">{r.next_hop}</td>
              <td>{r.origin}{r.med !== undefined && <span class="muted small"> med {r.med}</span>}{r.local_pref !== undefined && <span class="muted small"> lp {r.local_pref}</span>}</td>
              <td class="comms mono small">
                {[...r.communities, ...r.large_communities].join(' ') || <span class="muted">–</span>}
              </td>
              <td class="num" data-value={String(r.age)}>{formatAge(r.age)}</td>
              {props.rpki && (
                <td>{r.rpki ? <><span class={`badge rpki-${r.rpki.rov}`}>{r.rpki.rov}</span> <span class="muted small">aspa {r.rpki.aspa}</span></> : '–'}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MarkedList(props: { items: Marked<number>[]; side: 'a' | 'b'; testid: string }) {
  const shown = props.items.filter((m) => m.only === props.side || m.only === 'both');
  if (shown.length === 0) return <span class="muted">none</span>;
  return (
    <ul class="inline-list">
      {shown.map((m) => (
        <li key={m.item} class={`only-${m.only}`} data-testid={props.testid} data-asn={String(m.item)} data-only={m.only}>
          <AsnLink asn={m.item} />
          {m.only !== 'both' && <span class="marker"> ({sideLabel(m.only)})</span>}
        </li>
      ))}
    </ul>
  );
}

function CompareColumn(props: { side: 'a' | 'b'; name: string; entry: CompareEntry | undefined; paths: Marked<string>[]; origins: Marked<number>[]; upstreams: Marked<number>[] }) {
  const { side, entry } = props;
  const sum = entry ? (side === 'a' ? entry.in_a : entry.in_b) : null;
  const paths = props.paths.filter((m) => m.only === side || m.only === 'both');
  return (
    <div class={`cmp-col cmp-${side}`} data-testid={`cmp-${side}`} data-view={props.name}>
      <h4>{side.toUpperCase()}: {props.name}</h4>
      {sum ? (
        <p>
          <Num testid={`cmp-${side}-seeing`} value={sum.vps_seeing} /> of <Num testid={`cmp-${side}-up`} value={sum.vps_up} /> VPs up,{' '}
          <Num testid={`cmp-${side}-routes`} value={sum.routes} /> routes
        </p>
      ) : <p class="muted">No route in this view.</p>}
      <dl>
        <dt>Origins</dt>
        <dd><MarkedList items={props.origins} side={side} testid="cmp-origin" /></dd>
        <dt>Upstreams</dt>
        <dd><MarkedList items={props.upstreams} side={side} testid="cmp-upstream" /></dd>
      </dl>
      <table class="compact paths">
        <caption>Paths ({paths.length})</caption>
        <thead><tr><th scope="col">AS path</th><th scope="col">In</th></tr></thead>
        <tbody>
          {paths.map((m) => (
            <tr key={m.item} data-testid="cmp-path" data-only={m.only} data-path={m.item} class={`only-${m.only}`}>
              <td class="mono"><AsPath path={m.item} /></td>
              <td class="marker">{sideLabel(m.only)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ComparePanel(props: { entry: PrefixEntry; view: LgView; navigate: Navigate; sourceNames: string[]; cmp: CompareData | null; cmpError: string; wantCmp: boolean }) {
  const { view, navigate, entry, cmp } = props;
  const options = (
    <>
      <option value="">choose…</option>
      <optgroup label="Sources">
        {props.sourceNames.map((n) => <option key={n} value={n}>{n}</option>)}
      </optgroup>
      <optgroup label="Tags">
        {TAGS.map((t) => <option key={t} value={t}>{t}</option>)}
      </optgroup>
    </>
  );
  const ce = cmp?.answer.prefixes.find((p) => p.prefix === entry.prefix);
  const origins = ce ? markItems(ce.in_a.origins, ce.in_b.origins) : [];
  const upstreams = ce ? markItems(ce.in_a.upstreams, ce.in_b.upstreams) : [];
  const paths = ce
    ? markPaths(cmp?.pathsA?.get(entry.prefix) ?? (cmp?.pathsA ? [] : null), cmp?.pathsB?.get(entry.prefix) ?? (cmp?.pathsB ? [] : null), ce.paths_only_in_a, ce.paths_only_in_b)
    : [];
  return (
    <section class="compare" aria-labelledby="cmp-h">
      <h3 id="cmp-h">Compare two views</h3>
      <div class="cmp-controls">
        <label>
          View A
          <select data-testid="lg-cmp-a" value={view.a} onChange={(e) => navigate({ ...view, a: (e.target as HTMLSelectElement).value })}>
            {options}
            {view.a && !props.sourceNames.includes(view.a) && !(TAGS as readonly string[]).includes(view.a) && <option value={view.a}>{view.a}</option>}
          </select>
        </label>
        <label>
          View B
          <select data-testid="lg-cmp-b" value={view.b} onChange={(e) => navigate({ ...view, b: (e.target as HTMLSelectElement).value })}>
            {options}
            {view.b && !props.sourceNames.includes(view.b) && !(TAGS as readonly string[]).includes(view.b) && <option value={view.b}>{view.b}</option>}
          </select>
        </label>
      </div>
      {!props.wantCmp && <p class="muted small">Choose a source or a tag for each side: e.g. what a collector sees that your own routers do not.</p>}
      {props.cmpError && <ErrorBox testid="lg-cmp-error">{props.cmpError}</ErrorBox>}
      {props.wantCmp && cmp && (
        <div class="cmp-result" data-testid="lg-compare" data-differ={String(ce?.differ ?? false)} aria-live="polite">
          <p class={ce?.differ ? 'differ' : 'same'}>
            {ce ? (ce.differ ? 'The views differ in origins, upstreams or visibility.' : 'Same origins and upstreams in both views.') : 'Neither view has a route for this prefix.'}
            {cmp.answer.prefixes.length > 1 && ` ${cmp.answer.prefixes_differing} of ${cmp.answer.prefixes.length} prefixes differ.`}
          </p>
          <div class="cmp-cols">
            <CompareColumn side="a" name={view.a} entry={ce} paths={paths} origins={origins} upstreams={upstreams} />
            <CompareColumn side="b" name={view.b} entry={ce} paths={paths} origins={origins} upstreams={upstreams} />
          </div>
        </div>
      )}
    </section>
  );
}
