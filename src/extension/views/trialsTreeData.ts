/**
 * What the Trials view shows, computed from the store alone (no vscode): notebooks with their
 * trial counts, each notebook's trials newest first with name, time and key metric, and a trial's
 * tagged values and files read. Each level is computed only when expanded, so thousands of trials
 * cost one query per opened notebook. Tested in plain Node with a real store.
 */
import type { Store, TrialHead } from '../../core/store';
import type { Trial, TrialValue } from '../../core/records';
import { describeValue, trialLabel } from '../../core/trials';
import { singleLine, truncateToWidth } from '../../shared/chart/textWidth';

export interface NotebookNode {
  kind: 'notebook';
  notebookPath: string;
  trials: number;
}

export interface TrialNode {
  kind: 'trial';
  trialId: string;
  notebookPath: string;
  label: string;
  /** `2026-11-30 10:00 · accuracy 0.93` */
  description: string;
  tooltip: string;
  /** The variable shown as the key metric, if any (for "show across trials"). */
  keyMetric?: string;
}

export interface ValueNode {
  kind: 'value';
  trialId: string;
  name: string;
  role: string;
  description: string;
  tooltip: string;
}

export interface FilesNode {
  kind: 'files';
  trialId: string;
  count: number;
}

export interface FileNode {
  kind: 'file';
  trialId: string;
  path: string;
  description: string;
}

export type TrialsTreeNode = NotebookNode | TrialNode | ValueNode | FilesNode | FileNode;

const ROLE_ORDER = ['param', 'metric', 'model', 'dataset', 'target'];

function roleRank(role: string): number {
  const i = ROLE_ORDER.indexOf(role);
  return i < 0 ? ROLE_ORDER.length : i;
}

function oneLine(text: string, width: number): string {
  return truncateToWidth(singleLine(text), width);
}

export function shortTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(0, 16).replace('T', ' ');
}

/** The metric a trial is known by: the first `metric`-tagged value by name, else none. */
export function keyMetric(tagged: Record<string, TrialValue>): { name: string; text: string } | undefined {
  const metrics = Object.keys(tagged)
    .filter((n) => tagged[n].role === 'metric')
    .sort();
  if (!metrics.length) return undefined;
  const name = metrics[0];
  return { name, text: oneLine(describeValue(tagged[name]), 24) };
}

/** Notebooks that have trials, by path. */
export function notebookNodes(store: Store): NotebookNode[] {
  return store
    .listNotebooks()
    .filter((n) => n.trials > 0)
    .map((n) => ({ kind: 'notebook', notebookPath: n.path, trials: n.trials }));
}

export function trialNode(t: TrialHead): TrialNode {
  const metric = keyMetric(t.values);
  const label = oneLine(trialLabel(t), 80);
  const node: TrialNode = {
    kind: 'trial',
    trialId: t.id,
    notebookPath: t.notebookPath,
    label,
    description: `${shortTime(t.createdAt)}${metric ? ` · ${oneLine(metric.name, 24)} ${metric.text}` : ''}`,
    tooltip: [`${trialLabel(t)} (${t.id})`, `${t.notebookPath} · ${t.createdAt}`, t.note ? `note: ${t.note}` : '', `${t.taggedNames.length} tagged value(s)`].filter(Boolean).join('\n'),
  };
  if (metric) node.keyMetric = metric.name;
  return node;
}

/** A notebook's trials, newest first. */
export function trialNodes(store: Store, notebookPath: string): TrialNode[] {
  const heads = store.listTrialHeads({ notebookPath });
  const nodes: TrialNode[] = new Array(heads.length);
  for (let i = 0; i < heads.length; i++) nodes[heads.length - 1 - i] = trialNode(heads[i]);
  return nodes;
}

/** A trial's tagged values (parameters first, then metrics, models, datasets) and its files read. */
export function trialChildren(trial: Trial): (ValueNode | FilesNode)[] {
  const values: ValueNode[] = Object.entries(trial.tagged)
    .sort(([na, a], [nb, b]) => roleRank(a.role) - roleRank(b.role) || (na < nb ? -1 : na > nb ? 1 : 0))
    .map(([name, v]) => ({
      kind: 'value',
      trialId: trial.id,
      name,
      role: v.role,
      description: `${v.role} · ${oneLine(describeValue(v), 60)}`,
      tooltip: `${name}: ${v.type}\n${v.repr.slice(0, 2000)}`,
    }));
  const files = readPaths(trial);
  return files.length ? [...values, { kind: 'files', trialId: trial.id, count: files.length }] : values;
}

function readPaths(trial: Trial): { path: string; hash?: string }[] {
  const seen = new Map<string, string | undefined>();
  for (const f of trial.files) {
    if (f.kind === 'write') continue;
    if (!seen.has(f.path)) seen.set(f.path, f.hashBefore ?? f.hashAfter ?? undefined);
  }
  return [...seen].map(([path, hash]) => ({ path, hash }));
}

export function fileNodes(trial: Trial): FileNode[] {
  return readPaths(trial).map((f) => ({ kind: 'file', trialId: trial.id, path: f.path, description: f.hash ? `#${f.hash.slice(0, 12)}` : 'no hash recorded' }));
}

/** A stable id per node, so VS Code keeps expansion and selection across refreshes. */
export function nodeId(node: TrialsTreeNode): string {
  switch (node.kind) {
    case 'notebook':
      return `nb:${node.notebookPath}`;
    case 'trial':
      return `trial:${node.trialId}`;
    case 'value':
      return `value:${node.trialId}:${node.name}`;
    case 'files':
      return `files:${node.trialId}`;
    case 'file':
      return `file:${node.trialId}:${node.path}`;
  }
}

/** A notebook's trials at a glance, to tell whether its node must be refreshed after a store change. */
export function notebookSignature(nodes: readonly TrialNode[]): string {
  return nodes.map((n) => `${n.trialId}\u0000${n.label}\u0000${n.description}\u0000${n.tooltip}`).join('\u0001');
}
