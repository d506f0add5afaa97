import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ConcentricLayoutOptions, Core, ElementDefinition, NodeSingular } from 'cytoscape';
import { buildGraph, type Graph as GraphModel } from '../graph';
import { formatNumber } from '../format';
import type { Route } from '../types';

declare global {
  interface Window {
    __bgpsGraph?: Core;
  }
}

function elements(g: GraphModel): ElementDefinition[] {
  const maxW = g.edges.reduce((m, e) => Math.max(m, e.weight), 1);
  return [
    ...[...g.nodes].sort((x, y) => x.order - y.order).map((n) => ({
      group: 'nodes' as const,
      data: {
        id: n.id, label: n.role === 'vp' ? '' : n.label, full: n.label, role: n.role, level: n.level, weight: n.weight,
        ring: g.maxLevel - n.level,
      },
      classes: n.role,
    })),
    ...g.edges.map((e) => ({
      group: 'edges' as const,
      data: { id: e.id, source: e.source, target: e.target, weight: e.weight, width: 1 + (5 * e.weight) / maxW },
    })),
  ];
}

/** The AS-path graph (cytoscape, loaded on demand) and its text alternative. */
export function AsPathGraph(props: { routes: Route[] }) {
  const g = useMemo(() => buildGraph(props.routes), [props.routes]);
  const signature = useMemo(
    () => g.nodes.map((n) => `${n.id}:${n.weight}`).join(' ') + '|' + g.edges.map((e) => `${e.id}:${e.weight}`).join(' '),
    [g],
  );
  const box = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const [hover, setHover] = useState('');
  const [loadError, setLoadError] = useState('');

  useEffect(() => {
    let cancelled = false;
    import('cytoscape')
      .then(({ default: cytoscape }) => {
        if (cancelled || !box.current) return;
        cyRef.current?.destroy();
        const cy = cytoscape({
          container: box.current,
          elements: elements(g),
          minZoom: 0.2,
          maxZoom: 4,
          style: [
            { selector: 'node', style: { label: 'data(label)', 'font-size': 10, 'text-valign': 'center', 'text-halign': 'center', color: '#10233d', 'text-outline-color': '#fff', 'text-outline-width': 2, width: 18, height: 18, 'background-color': '#4f7fc4' } },
            { selector: 'node.origin', style: { 'background-color': '#c0392b', width: 30, height: 30, 'font-weight': 'bold', 'font-size': 12 } },
            { selector: 'node.transit', style: { 'background-color': '#3b6fb6' } },
            { selector: 'node.vp', style: { 'background-color': '#8a96a8', width: 9, height: 9, shape: 'round-rectangle' } },
            { selector: 'edge', style: { width: 'data(width)', 'line-color': '#9fb0c8', 'curve-style': 'bezier', opacity: 0.85 } },
            { selector: '.hl', style: { 'line-color': '#e08a00', 'background-color': '#e08a00', 'z-index': 10 } },
          ],
          layout: {
            name: 'concentric',
            concentric: (n: NodeSingular) => Number(n.data('ring')),
            levelWidth: () => 1,
            minNodeSpacing: 6,
            animate: false,
            padding: 10,
          } as ConcentricLayoutOptions,
        });
        cy.on('mouseover', 'edge', (e) => {
          const w = Number(e.target.data('weight'));
          const [s, t] = [e.target.source().data('full'), e.target.target().data('full')];
          setHover(`${s} → ${t}: ${formatNumber(w)} VP${w === 1 ? '' : 's'}`);
          e.target.addClass('hl');
        });
        cy.on('mouseover', 'node', (e) => {
          const n = e.target;
          const role = n.data('role');
          setHover(`${n.data('full')} (${role}${role === 'vp' ? '' : `, ${n.data('weight')} VPs through it`})`);
          n.addClass('hl');
        });
        cy.on('mouseout', 'edge, node', (e) => {
          e.target.removeClass('hl');
          setHover('');
        });
        cyRef.current = cy;
        window.__bgpsGraph = cy;
      })
      .catch((e: unknown) => setLoadError(String(e)));
    return () => {
      cancelled = true;
    };
    // rebuild only when the graph itself changes
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [signature]);

  useEffect(
    () => () => {
      cyRef.current?.destroy();
      cyRef.current = null;
      delete window.__bgpsGraph;
    },
    [],
  );

  const asNodes = g.nodes.filter((n) => n.role !== 'vp');
  const vpNodes = g.nodes.filter((n) => n.role === 'vp');
  const label = (id: string) => g.nodes.find((n) => n.id === id)?.label ?? id;

  return (
    <section class="graph-panel" aria-labelledby="graph-h">
      <h3 id="graph-h">AS-path graph</h3>
      <p class="muted small">
        Origin{asNodes.filter((n) => n.role === 'origin').length > 1 ? 's' : ''} in red at the centre, VPs (grey) on the outside
        ring; edge width = VPs whose path uses it. {hover ? <strong>{hover}</strong> : 'Hover a node or an edge for details.'}
      </p>
      <div
        class="graph"
        ref={box}
        data-testid="lg-graph"
        data-nodes={String(g.nodes.length)}
        data-edges={String(g.edges.length)}
        role="img"
        aria-label={`AS-path graph: ${asNodes.length} ASes, ${vpNodes.length} VPs, ${g.edges.length} edges; the same as the table below`}
      />
      {loadError && <p class="error">The graph could not be drawn: {loadError}</p>}
      <details class="graph-text" open>
        <summary>Graph as text: {g.nodes.length} nodes, {g.edges.length} edges</summary>
        <div class="graph-tables">
          <table class="compact">
            <caption>Nodes</caption>
            <thead>
              <tr><th scope="col">Node</th><th scope="col">Role</th><th scope="col" class="num">Distance to origin</th><th scope="col" class="num">VPs through it</th></tr>
            </thead>
            <tbody>
              {g.nodes.map((n) => (
                <tr
                  key={n.id}
                  data-testid="lg-graph-node"
                  data-id={n.id}
                  data-role={n.role}
                  data-asn={n.asn !== undefined ? String(n.asn) : undefined}
                  data-vp-id={n.vpId !== undefined ? String(n.vpId) : undefined}
                  data-weight={String(n.weight)}
                >
                  <th scope="row">{n.role === 'vp' ? `VP ${n.label}` : n.label}</th>
                  <td>{n.role}</td>
                  <td class="num">{n.level}</td>
                  <td class="num">{n.weight}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table class="compact">
            <caption>Edges</caption>
            <thead>
              <tr><th scope="col">From (VP side)</th><th scope="col">To (origin side)</th><th scope="col" class="num">VPs</th></tr>
            </thead>
            <tbody>
              {g.edges.map((e) => (
                <tr key={e.id} data-testid="lg-graph-edge" data-source={e.source} data-target={e.target} data-weight={String(e.weight)}>
                  <td>{label(e.source)}</td>
                  <td>{label(e.target)}</td>
                  <td class="num">{e.weight}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
