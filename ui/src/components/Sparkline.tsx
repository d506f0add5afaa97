import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatNumber } from '../format';

/** The live rate sparkline (uPlot); data is [unix seconds[], values[]]. */
export function Sparkline(props: { data: [number[], number[]]; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(120, el.clientWidth),
      height: 56,
      cursor: { show: true, x: false, y: false, points: { show: false } },
      legend: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(10, max * 1.1)] } },
      axes: [{ show: false }, { show: false }],
      series: [{}, { stroke: '#1f5fbf', width: 1.5, fill: 'rgba(31,95,191,0.12)', points: { show: false } }],
      padding: [4, 0, 0, 0],
    };
    const u = new uPlot(opts, props.data, el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(120, el.clientWidth), height: 56 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    plot.current?.setData(props.data);
  }, [props.data]);

  const n = props.data[0].length;
  const max = props.data[1].reduce((m, v) => Math.max(m, v), 0);
  return (
    <div
      class="sparkline"
      ref={ref}
      data-testid="ov-sparkline"
      data-points={String(n)}
      role="img"
      aria-label={`${props.label}: ${n} samples over the last ${n} seconds, peak ${formatNumber(max)} per second`}
    />
  );
}
