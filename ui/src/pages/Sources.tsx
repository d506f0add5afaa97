import { useMemo, useState } from 'preact/hooks';
import { api, errorText } from '../api';
import { ErrorBox, Num, SortTh, StateBadge } from '../components/common';
import { formatAgoUs, formatDuration, formatRate, formatTimeUs, secondsSinceUs } from '../format';
import { useNow, usePoll } from '../hooks';
import type { Navigate } from '../main';
import type { SourcesView } from '../route';
import { setLoaded, setLoading } from '../status';
import type { Source, Vp } from '../types';
import { filterVps, sortVps } from '../vpfilter';

function GapList(props: { source: Source; now: number }) {
  const s = props.source;
  if (s.gaps_total === 0) return <span class="muted">none</span>;
  const latest = s.gaps.slice().sort((a, b) => b.start_us - a.start_us);
  return (
    <details class="gaps">
      <summary>
        <Num col="gaps_total" value={s.gaps_total} /> gap{s.gaps_total === 1 ? '' : 's'}
        {latest[0] && <span class="muted"> · last: {latest[0].cause}</span>}
      </summary>
      <ul>
        {latest.map((g) => (
          <li key={g.start_us}>
            {formatTimeUs(g.start_us)}: {g.end_us ? formatDuration((g.end_us - g.start_us) / 1e6) : <strong>ongoing {formatDuration(secondsSinceUs(g.start_us, props.now))}</strong>}
            {' '}— {g.cause}
          </li>
        ))}
      </ul>
    </details>
  );
}

const VP_COLS: { col: string; label: string; num?: boolean; optional?: boolean }[] = [
  { col: 'id', label: 'ID', num: true },
  { col: 'name', label: 'Name' },
  { col: 'source', label: 'Source' },
  { col: 'address', label: 'Address' },
  { col: 'asn', label: 'ASN', num: true },
  { col: 'table', label: 'Table', optional: true },
  { col: 'state', label: 'State' },
  { col: 'since_us', label: 'Since', optional: true },
  { col: 'last_update_us', label: 'Last update' },
  { col: 'routes_v4', label: 'Routes v4', num: true },
  { col: 'routes_v6', label: 'Routes v6', num: true },
  { col: 'updates_per_s', label: 'Updates/s', num: true },
];

export function Sources(props: { view: SourcesView; navigate: Navigate }) {
  const { view, navigate } = props;
  const [sources, setSources] = useState<Source[] | null>(null);
  const [vps, setVps] = useState<Vp[] | null>(null);
  const [error, setError] = useState('');
  const now = useNow(1000);

  usePoll(async () => {
    setLoading(true);
    try {
      const [s, v] = await Promise.all([api.sources(), api.vps()]);
      setSources(s);
      setVps(v);
      setError('');
      setLoaded(true);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }, 2000, []);

  const shown = useMemo(
    () => sortVps(filterVps(vps ?? [], { q: view.q, state: view.state, source: view.source }), view.sort, view.dir),
    [vps, view.q, view.state, view.source, view.sort, view.dir],
  );
  const update = (patch: Partial<SourcesView>) => navigate({ ...view, ...patch }, true);
  const onSort = (col: string) =>
    update({ sort: col, dir: view.sort === col && view.dir === 'asc' ? 'desc' : 'asc' });
  const sourceNames = (sources ?? []).map((s) => s.name);

  return (
    <div class="page sources">
      <h1>Sources &amp; vantage points</h1>
      {error && <ErrorBox>Cannot reach the daemon: {error}</ErrorBox>}
      <section aria-labelledby="src-h">
        <h2 id="src-h">Sources</h2>
        {sources && (
          <div class="table-wrap">
            <table class="grid" data-testid="src-table">
              <thead>
                <tr>
                  <th scope="col">Name</th><th scope="col">Kind</th><th scope="col">State</th>
                  <th scope="col">Up for</th><th scope="col">Gaps</th>
                  <th scope="col" class="num">Events/s</th><th scope="col" class="num">1 min avg</th>
                  <th scope="col" class="num">VPs up / total</th><th scope="col" class="num">Routes</th>
                  <th scope="col" class="num">Malformed</th><th scope="col">Last error</th>
                </tr>
              </thead>
              <tbody>
                {sources.map((s) => (
                  <tr key={s.name} data-testid="src-row" data-source={s.name} data-state={s.state}>
                    <th scope="row">{s.name}</th>
                    <td>{s.kind}</td>
                    <td><StateBadge state={s.state} /></td>
                    <td>
                      {s.state === 'up' || s.state === 'done'
                        ? formatDuration(secondsSinceUs(s.since_us, now))
                        : <span class="muted">{s.state} for {formatDuration(secondsSinceUs(s.since_us, now))}</span>}
                    </td>
                    <td>
                      {s.gaps_total === 0 ? <Num col="gaps_total" value={0} text="none" class="muted" /> : <GapList source={s} now={now} />}
                    </td>
                    <td class="num"><Num col="events_per_s" value={s.events_per_s} text={formatRate(s.events_per_s)} /></td>
                    <td class="num"><Num col="events_per_s_1m" value={s.events_per_s_1m} text={formatRate(s.events_per_s_1m)} /></td>
                    <td class="num"><Num col="vps_up" value={s.vps_up} /> / <Num col="vps" value={s.vps} /></td>
                    <td class="num"><Num col="routes" value={s.routes} /></td>
                    <td class="num"><Num col="malformed" value={s.malformed} /></td>
                    <td class="err-cell">
                      {s.last_error || <span class="muted">none</span>}
                      {s.state === 'down' && s.retry_at_us > 0 && <div class="muted small">retry {formatTimeUs(s.retry_at_us)}</div>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="vp-h">
        <h2 id="vp-h">Vantage points</h2>
        <form class="filters" role="search" aria-label="Filter vantage points" onSubmit={(e) => e.preventDefault()}>
          <label>
            Filter
            <input
              type="search"
              data-testid="vp-filter"
              placeholder="name, address, ASN, source"
              value={view.q}
              onInput={(e) => update({ q: (e.target as HTMLInputElement).value })}
            />
          </label>
          <label>
            State
            <select data-testid="vp-state" value={view.state} onChange={(e) => update({ state: (e.target as HTMLSelectElement).value })}>
              <option value="">all</option>
              <option value="up">up</option>
              <option value="down">down</option>
              <option value="stale">stale</option>
            </select>
          </label>
          <label>
            Source
            <select data-testid="vp-source" value={view.source} onChange={(e) => update({ source: (e.target as HTMLSelectElement).value })}>
              <option value="">all</option>
              {sourceNames.map((n) => <option key={n} value={n}>{n}</option>)}
              {view.source && !sourceNames.includes(view.source) && <option value={view.source}>{view.source}</option>}
            </select>
          </label>
          <p class="count" aria-live="polite">
            <span data-testid="vp-count" data-value={String(shown.length)} data-total={String(vps?.length ?? 0)}>
              {shown.length} of {vps?.length ?? 0} VPs shown
            </span>
          </p>
        </form>
        {vps && (
          <div class="table-wrap">
            <table class="grid vps" data-testid="vp-table">
              <thead>
                <tr>
                  {VP_COLS.map((c) => (
                    <SortTh key={c.col} col={c.col} label={c.label} num={c.num} optional={c.optional} sort={view.sort} dir={view.dir} onSort={onSort} />
                  ))}
                </tr>
              </thead>
              <tbody>
                {shown.map((v) => (
                  <tr key={v.id} data-testid="vp-row" data-vp-id={String(v.id)} data-state={v.state} data-source={v.source}>
                    <td class="num"><Num col="id" value={v.id} text={String(v.id)} /></td>
                    <th scope="row" class="vp-name">{v.name}</th>
                    <td>{v.source}</td>
                    <td class="mono">{v.address}</td>
                    <td class="num"><a href={`#/lg?q=AS${v.asn}`} data-col="asn" data-value={String(v.asn)}>AS{v.asn}</a></td>
                    <td class="opt">{v.table}</td>
                    <td><StateBadge state={v.state} /></td>
                    <td class="opt" title={formatTimeUs(v.since_us)}>{formatAgoUs(v.since_us, now)}</td>
                    <td title={formatTimeUs(v.last_update_us)}>{formatAgoUs(v.last_update_us, now)}</td>
                    <td class="num"><Num col="routes_v4" value={v.routes_v4} /></td>
                    <td class="num"><Num col="routes_v6" value={v.routes_v6} /></td>
                    <td class="num"><Num col="updates_per_s" value={v.updates_per_s} text={formatRate(v.updates_per_s)} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
            {shown.length === 0 && <p class="muted">No VP matches.</p>}
          </div>
        )}
      </section>
    </div>
  );
}
