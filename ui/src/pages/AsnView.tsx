import { useState } from 'preact/hooks';
import { api, errorText } from '../api';
import { AsnLink, ErrorBox, Num, PrefixLink } from '../components/common';
import { usePoll } from '../hooks';
import { setLoaded, setLoading } from '../status';
import type { AsnAnswer } from '../types';

export function AsnView(props: { asn: number }) {
  const [data, setData] = useState<AsnAnswer | null>(null);
  const [error, setError] = useState('');

  usePoll(async () => {
    setLoading(true);
    try {
      const d = await api.asn(props.asn);
      setData(d);
      setError('');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
      setLoaded(true);
    }
  }, 10000, [props.asn]);

  if (error) return <ErrorBox testid="lg-error">{error}</ErrorBox>;
  if (!data || data.asn !== props.asn) return <p class="muted">Loading AS{props.asn}…</p>;
  return (
    <section class="asn-view" data-testid="asn-view" data-asn={String(data.asn)} aria-labelledby="asn-h">
      <h2 id="asn-h">AS{data.asn}</h2>
      <p class="summary-line" aria-live="polite">
        Seen by <Num testid="asn-vps-seeing" value={data.vps_seeing} /> VPs;{' '}
        <Num testid="asn-originated-count" value={data.originated.length} /> prefixes originated,{' '}
        {data.upstreams.length} upstreams, {data.downstreams.length} downstreams.
      </p>
      <div class="asn-cols">
        <section aria-labelledby="asn-orig-h">
          <h3 id="asn-orig-h">Originated prefixes</h3>
          {data.originated.length === 0 ? <p class="muted">None in the RIB.</p> : (
            <div class="table-wrap tall">
              <table class="grid">
                <thead><tr><th scope="col">Prefix</th><th scope="col" class="num">Routes</th></tr></thead>
                <tbody>
                  {data.originated.map((o) => (
                    <tr key={o.prefix} data-testid="asn-originated" data-prefix={o.prefix}>
                      <th scope="row"><PrefixLink prefix={o.prefix} /></th>
                      <td class="num"><Num value={o.routes} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        {(['upstreams', 'downstreams'] as const).map((kind) => (
          <section key={kind} aria-labelledby={`asn-${kind}-h`}>
            <h3 id={`asn-${kind}-h`}>{kind === 'upstreams' ? 'Upstreams' : 'Downstreams'}</h3>
            {data[kind].length === 0 ? <p class="muted">None seen.</p> : (
              <div class="table-wrap tall">
                <table class="grid">
                  <thead><tr><th scope="col">AS</th><th scope="col" class="num">Paths</th></tr></thead>
                  <tbody>
                    {data[kind].map((u) => (
                      <tr
                        key={u.asn}
                        data-testid={kind === 'upstreams' ? 'asn-upstream' : 'asn-downstream'}
                        data-asn={String(u.asn)}
                        data-paths={String(u.paths)}
                      >
                        <th scope="row"><AsnLink asn={u.asn} /></th>
                        <td class="num"><Num value={u.paths} /></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        ))}
      </div>
    </section>
  );
}
