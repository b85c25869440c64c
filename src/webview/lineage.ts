/**
 * Lineage panel: the backward dependency graph of a variable as a DAG (dagre layout, d3 drawing).
 * Nodes are cells or statements with their recorded values; edges carry the names that flow.
 * Click or Enter on a node reveals its cell; arrow keys move between nodes.
 */
import dagre from '@dagrejs/dagre';
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior } from 'd3-zoom';
import type { LineageNode, LineageOptions, LineagePayload } from '../shared/protocol';
import { clip, el, getState, post, setState, startPanel, toggle } from './common';

const NODE_WIDTH = 300;
const NODE_HEIGHT = 74;
/** Above this many nodes the layout favours speed (see render). */
const LARGE_GRAPH = 150;

interface Kept {
  options?: LineageOptions;
}

const root = document.getElementById('app')!;
let kept = getState<Kept>({});

function firstLine(code: string): string {
  const line = code.split('\n').find((l) => l.trim() !== '') ?? '';
  return clip(line.trim(), 38);
}

function valueLine(node: LineageNode): string {
  if (!node.values.length) return node.stale ? '' : 'no recorded value';
  return clip(node.values.map((v) => `${v.name} = ${v.repr.replace(/\s+/g, ' ')}`).join('; '), 40);
}

function toolbar(data: LineagePayload): HTMLElement {
  const send = (options: LineageOptions) => {
    kept = { options };
    setState(kept);
    post({ type: 'lineageOptions', options });
  };
  const o = data.options;
  const global = toggle('Global (every definition)', o.global, (on) => send({ ...o, global: on }));
  const operations = toggle('Statements', o.granularity === 'operation', (on) => send({ ...o, granularity: on ? 'operation' : 'cell', expandFunctions: on && o.expandFunctions }));
  const expand = toggle('Expand functions', o.expandFunctions, (on) => send({ ...o, granularity: 'operation', expandFunctions: on }));
  if (o.granularity !== 'operation') expand.disabled = true;
  const fit = el('button', { type: 'button' }, 'Fit');
  fit.addEventListener('click', () => fitGraph?.());
  return el(
    'div',
    { className: 'toolbar', role: 'toolbar', 'aria-label': 'Lineage options' },
    el('span', { className: 'title' }, `Lineage of `, el('code', {}, clip(data.variable, 80)), ` — ${data.nodes.length} ${o.granularity === 'cell' ? 'cell execution' : 'statement'}${data.nodes.length === 1 ? '' : 's'}`),
    global,
    operations,
    expand,
    fit,
  );
}

let fitGraph: (() => void) | undefined;

function render(data: LineagePayload): void {
  // Large graphs trade dagre's best ranking and crossing reduction (network simplex, repeated
  // sweeps) for speed, and put edge names at the edge's middle instead of reserving room for them.
  const large = data.nodes.length > LARGE_GRAPH;
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: large ? 64 : 52, marginx: 16, marginy: 16, ...(large ? { ranker: 'longest-path' } : {}) });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of data.nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const e of data.edges) {
    const label = clip(e.names.join(', '), 40);
    g.setEdge(e.from, e.to, large ? { label } : { label, width: Math.min(220, 8 + 7 * label.length), height: 16, labelpos: 'c' });
  }
  dagre.layout(g, large ? { disableOptimalOrderHeuristic: true } : {});

  const legend = el('div', { className: 'legend' }, el('span', { className: 'swatch target' }), 'the value explained ', el('span', { className: 'swatch stale' }), 'stale (inputs changed since it ran) ', el('span', { className: 'muted' }, `· ${data.history} · ${data.notebook}`));
  const host = el('div', { className: 'graph', role: 'application', 'aria-label': 'Lineage graph: Tab or arrow keys move between nodes, Enter reveals the cell' });
  root.replaceChildren(toolbar(data), legend, host);
  // Measured before the graph is drawn: reading sizes later would force a layout of every node.
  let size = { w: host.clientWidth || 800, h: host.clientHeight || 600 };

  const svg = select(host).append('svg').attr('class', 'lineage-svg').attr('width', '100%').attr('height', '100%');
  const defs = svg.append('defs');
  defs.append('marker').attr('id', 'arrow').attr('viewBox', '0 0 10 10').attr('refX', 10).attr('refY', 5).attr('markerWidth', 7).attr('markerHeight', 7).attr('orient', 'auto-start-reverse').append('path').attr('d', 'M 0 0 L 10 5 L 0 10 z').attr('class', 'arrow-head');
  const scene = svg.append('g').attr('class', 'scene');

  const edges = scene.append('g').attr('class', 'edges');
  for (const e of g.edges()) {
    const edge = g.edge(e) as { points: { x: number; y: number }[]; x?: number; y?: number; label?: string };
    const d = edge.points.map((p, i) => `${i ? 'L' : 'M'}${p.x},${p.y}`).join(' ');
    edges.append('path').attr('class', 'edge').attr('d', d).attr('marker-end', 'url(#arrow)');
    if (large && edge.label) {
      const mid = edge.points[Math.floor(edge.points.length / 2)];
      edge.x = mid.x;
      edge.y = mid.y;
    }
    if (edge.label && edge.x !== undefined && edge.y !== undefined) edges.append('text').attr('class', 'edge-label').attr('x', edge.x).attr('y', edge.y).attr('text-anchor', 'middle').attr('dy', '0.35em').text(edge.label);
  }

  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const nodes = scene.append('g').attr('class', 'nodes');
  const order: SVGGElement[] = [];
  for (const id of g.nodes()) {
    const n = byId.get(id);
    const pos = g.node(id) as { x: number; y: number } | undefined;
    if (!n || !pos) continue;
    const classes = ['node', n.target ? 'target' : '', n.stale ? 'stale' : '', n.function ? 'in-function' : ''].filter(Boolean).join(' ');
    const group = nodes
      .append('g')
      .attr('class', classes)
      .attr('transform', `translate(${pos.x - NODE_WIDTH / 2},${pos.y - NODE_HEIGHT / 2})`)
      .attr('tabindex', 0)
      .attr('role', 'button')
      .attr('data-id', n.id)
      .attr('aria-label', `${n.label}${n.stale ? ', stale' : ''}: ${clip(n.code.replace(/\s+/g, ' '), 120)}. ${valueLine(n)}. Enter reveals the cell.`);
    group.append('title').text(`${n.label}${n.stale ? ' (stale)' : ''}\n${clip(n.code, 2000)}${n.values.length ? `\n\n${n.values.map((v) => `${v.name}: ${v.type} = ${clip(v.repr, 500)}`).join('\n')}` : ''}`);
    group.append('rect').attr('width', NODE_WIDTH).attr('height', NODE_HEIGHT).attr('rx', 6);
    group.append('text').attr('class', 'node-label').attr('x', 10).attr('y', 18).text(`${n.label}${n.stage ? ` · ${n.stage}` : ''}${n.stale ? '  ⚠ stale' : ''}`);
    group.append('text').attr('class', 'node-code').attr('x', 10).attr('y', 40).text(firstLine(n.code));
    group.append('text').attr('class', 'node-value').attr('x', 10).attr('y', 62).text(valueLine(n));
    const reveal = () => post({ type: 'revealCell', cellId: n.cellId, cellIndex: n.cellIndex });
    group.on('click', reveal);
    group.on('keydown', (event: KeyboardEvent) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        reveal();
      } else if (event.key === 'ArrowDown' || event.key === 'ArrowRight' || event.key === 'ArrowUp' || event.key === 'ArrowLeft') {
        event.preventDefault();
        const i = order.indexOf(group.node()!);
        const next = order[Math.max(0, Math.min(order.length - 1, i + (event.key === 'ArrowDown' || event.key === 'ArrowRight' ? 1 : -1)))];
        next?.focus();
      }
    });
    order.push(group.node()!);
  }

  const graphInfo = g.graph() as { width?: number; height?: number };
  const behaviour: ZoomBehavior<SVGSVGElement, unknown> = zoom<SVGSVGElement, unknown>()
    // The measured size: d3's default reads the SVG's, forcing a layout of every node.
    .extent(() => [[0, 0], [size.w, size.h]])
    .scaleExtent([0.05, 3]).on('zoom', (event) => scene.attr('transform', event.transform.toString()));
  svg.call(behaviour);
  const fit = (w: number, h: number) => {
    const gw = graphInfo.width ?? 1;
    const gh = graphInfo.height ?? 1;
    const k = Math.min(1, w / gw, h / gh);
    svg.call(behaviour.transform, zoomIdentity.translate((w - gw * k) / 2, Math.max(0, (h - gh * k) / 2)).scale(k));
  };
  fit(size.w, size.h);
  fitGraph = () => {
    size = { w: host.clientWidth || size.w, h: host.clientHeight || size.h };
    fit(size.w, size.h);
  };
  // Keyboard focus scrolls the node into view.
  nodes.selectAll<SVGGElement, unknown>('g.node').on('focus', function () {
    const box = this.getBoundingClientRect();
    const view = host.getBoundingClientRect();
    if (box.left >= view.left && box.right <= view.right && box.top >= view.top && box.bottom <= view.bottom) return;
    const t = (this.getAttribute('transform') ?? '').match(/translate\(([-\d.]+),([-\d.]+)\)/);
    if (!t) return;
    const { w, h } = size;
    const x = Number(t[1]) + NODE_WIDTH / 2;
    const y = Number(t[2]) + NODE_HEIGHT / 2;
    svg.call(behaviour.translateTo, x, y, [w / 2, h / 2]);
  });
}

startPanel('lineage', root, (message) => {
  if (message.type === 'lineage') render(message.data);
});
