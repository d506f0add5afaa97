import { useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, api, errorText } from '../api';
import { Card, ErrorBox, Num, StateBadge } from '../components/common';
import { Sparkline } from '../components/Sparkline';
import { formatBytes, formatDuration, formatNumber, formatRate, formatTimeUs, secondsSinceUs } from '../format';
import { useNow, usePoll } from '../hooks';
import { SampleRing } from '../sparkline';
import { setLoaded, setLoading } from '../status';
import type { MemoryEntry, Source, SourceEvent, Stats } from '../types';

const STATES = ['starting', 'up', 'degraded', 'down', 'done', 'disabled'] as const;
const WINDOW_S = 120;
const MAX_EVENTS = 50;

function memoryRows(stats: Stats): [string, MemoryEntry][] {
  return Object.entries(stats.memory).filter(
    (e): e is [string, MemoryEntry] => typeof e[1] === 'object' && e[1] !== null && 'bytes' in e[1],
  );
}

export function Overview() {
  const [stats, setStats] = useState<Stats | null>(null);
  const [sources, setSources] = useState<Source[] | null>(null);
  const [error, setError] = useState('');
  const ring = useRef(new SampleRing(WINDOW_S));
  const [spark, setSpark] = useState<[number[], number[]]>([[], []]);
  const [events, setEvents] = useState<SourceEvent[]>([]);
  const [eventsMissing, setEventsMissing] = useState(false);
  const lastSeq = useRef(0);
  const now = useNow(1000);

  usePoll(async () => {
    setLoading(true);
    try {
      const [s, src] = await Promise.all([api.stats(), api.sources()]);
      setStats(s);
      setSources(src);
      setError('');
      const t = Date.now() / 1000;
      ring.current.push(t, src.reduce((sum, x) => sum + (x.events_per_s || 0), 0));
      ring.current.trimBefore(t - WINDOW_S);
      setSpark(ring.current.data());
      setLoaded(true);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }, 1000, []);

  usePoll(async () => {
    try {
      let ans = await api.events(lastSeq.current);
      setEventsMissing(false);
      // a daemon started again numbers from 1: start over
      if (typeof ans.last_seq === 'number' && ans.last_seq < lastSeq.current) {
        lastSeq.current = 0;
        setEvents([]);
        ans = await api.events(0);
      }
      if (ans.events && ans.events.length) {
        const fresh = ans.events.filter((e) => e.seq > lastSeq.current);
        setEvents((prev) => [...fresh.slice().reverse(), ...prev].slice(0, MAX_EVENTS));
      }
      if (typeof ans.last_seq === 'number' && ans.last_seq > lastSeq.current) lastSeq.current = ans.last_seq;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setEventsMissing(true);
    }
  }, 2000, []);

  const byState = useMemo(() => {
    const m: Record<string, number> = {};
    for (const s of sources ?? []) m[s.state] = (m[s.state] ?? 0) + 1;
    return m;
  }, [sources]);

  const rate = (sources ?? []).reduce((sum, s) => sum + (s.events_per_s || 0), 0);
  const prefixes = stats?.prefixes ? (stats.prefixes.ipv4 ?? 0) + (stats.prefixes.ipv6 ?? 0) : null;

  return (
    <div class="page overview">
      <h1>Overview</h1>
      {error && <ErrorBox>Cannot reach the daemon: {error}</ErrorBox>}
      {stats && sources && (
        <div class="cards" aria-live="polite">
          <Card title="Sources">
            <div class="big"><Num testid="ov-sources-total" value={sources.length} /></div>
            <ul class="state-counts">
              {STATES.filter((s) => byState[s]).map((s) => (
                <li key={s}>
                  <StateBadge state={s} /> <Num testid={`ov-sources-${s}`} value={byState[s]} />
                </li>
              ))}
            </ul>
          </Card>
          <Card title="Vantage points">
            <div class="big">
              <Num testid="ov-vps-up" value={stats.vps_up} /> <span class="unit">up</span>
            </div>
            <div class="sub">
              <Num testid="ov-vps-down" value={stats.vps - stats.vps_up} /> down or stale of{' '}
              <Num testid="ov-vps-total" value={stats.vps} />
            </div>
          </Card>
          <Card title="Messages per second" class="wide">
            <div class="big">
              <Num testid="ov-rate" value={rate} text={formatRate(rate)} />
            </div>
            <Sparkline data={spark} label="Route events per second, all sources" />
            <div class="sub">last {WINDOW_S / 60} minutes, all sources</div>
          </Card>
          <Card title="RIB">
            <div class="big"><Num testid="ov-routes" value={stats.routes} /> <span class="unit">routes</span></div>
            {prefixes !== null && (
              <div class="sub">
                <Num testid="ov-prefixes" value={prefixes} /> prefixes (
                <Num testid="ov-prefixes-v4" value={stats.prefixes!.ipv4} /> IPv4,{' '}
                <Num testid="ov-prefixes-v6" value={stats.prefixes!.ipv6} /> IPv6)
              </div>
            )}
          </Card>
          <Card title="RIB memory">
            <div class="big">
              <Num testid="ov-memory" value={stats.memory.total_bytes} text={formatBytes(stats.memory.total_bytes)} />
            </div>
            <details class="mem">
              <summary>Per subsystem</summary>
              <table class="compact">
                <caption class="sr-only">RIB memory per subsystem</caption>
                <thead>
                  <tr><th scope="col">Subsystem</th><th scope="col" class="num">Count</th><th scope="col" class="num">Bytes</th></tr>
                </thead>
                <tbody>
                  {memoryRows(stats).map(([name, m]) => (
                    <tr key={name}>
                      <th scope="row">{name.replace(/_/g, ' ')}</th>
                      <td class="num"><Num value={m.count} /></td>
                      <td class="num"><Num value={m.bytes} text={formatBytes(m.bytes)} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </Card>
          <Card title="Uptime">
            <div class="big">
              <Num testid="ov-uptime" value={stats.uptime_s} text={formatDuration(stats.uptime_s)} />
            </div>
          </Card>
        </div>
      )}

      <section aria-labelledby="ov-src-h">
        <h2 id="ov-src-h">Sources</h2>
        {sources && sources.length === 0 && <p class="muted">No sources configured.</p>}
        {sources && sources.length > 0 && (
          <div class="table-wrap">
            <table class="grid" data-testid="ov-sources">
              <thead>
                <tr>
                  <th scope="col">Name</th><th scope="col">Kind</th><th scope="col">State</th><th scope="col">For</th>
                  <th scope="col" class="num">VPs up / total</th><th scope="col" class="num">Routes</th>
                  <th scope="col" class="num">Events/s</th><th scope="col">Last error</th>
                </tr>
              </thead>
              <tbody>
                {sources.map((s) => (
                  <tr key={s.name} data-testid="ov-source" data-source={s.name} data-state={s.state}>
                    <th scope="row"><a href={`#/sources?source=${encodeURIComponent(s.name)}`}>{s.name}</a></th>
                    <td>{s.kind}</td>
                    <td><StateBadge state={s.state} /></td>
                    <td>{formatDuration(secondsSinceUs(s.since_us, now))}</td>
                    <td class="num">
                      <Num col="vps_up" value={s.vps_up} /> / <Num col="vps" value={s.vps} />
                    </td>
                    <td class="num"><Num col="routes" value={s.routes} /></td>
                    <td class="num"><Num col="events_per_s" value={s.events_per_s} text={formatRate(s.events_per_s)} /></td>
                    <td class="err-cell">{s.last_error || <span class="muted">none</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="ov-ev-h">
        <h2 id="ov-ev-h">Recent source events</h2>
        <div aria-live="polite">
          {events.length === 0 ? (
            <p class="muted" data-testid="ov-events-empty">
              No events yet{eventsMissing ? ' (this daemon does not report them yet)' : ''}.
            </p>
          ) : (
            <ol class="events" data-testid="ov-events">
              {events.map((e) => (
                <li key={e.seq} data-testid="ov-event" data-seq={String(e.seq)} data-source={e.source}>
                  <time>{formatTimeUs(e.time_us)}</time>
                  <strong>{e.source}</strong>
                  <span class="muted">({e.kind})</span>
                  {e.from ? <><StateBadge state={e.from} /> → <StateBadge state={e.to} /></> : <>added: <StateBadge state={e.to} /></>}
                  {e.detail && <span class="detail">{e.detail}</span>}
                </li>
              ))}
            </ol>
          )}
        </div>
      </section>
      <p class="muted small">Refreshed every second while this tab is visible. {formatNumber(sources?.length ?? 0)} sources.</p>
    </div>
  );
}
