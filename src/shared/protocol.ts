/**
 * The one message protocol between the extension host and its webview panels (Lineage, Trial
 * diff, Across trials). Both sides import these types; nothing else crosses the boundary.
 *
 * Handshake: the webview posts `ready` (with PROTOCOL_VERSION) once its script has loaded; the
 * host sends no data message before that, and answers every `ready` (a webview reloaded after
 * being hidden says `ready` again) with its current data. Values from notebooks travel as plain
 * strings and are rendered as text, never as HTML.
 */

export const PROTOCOL_VERSION = 1;

export type PanelKind = 'lineage' | 'trialDiff' | 'acrossTrials';

/** The view types VS Code knows the panels by (DESIGN.md §4). */
export const PANEL_VIEW_TYPES: Record<PanelKind, string> = {
  lineage: 'nbprov.lineage',
  trialDiff: 'nbprov.trialDiff',
  acrossTrials: 'nbprov.acrossTrials',
};

// ---------------------------------------------------------------- lineage

export interface LineageOptions {
  /** Every execution that ever defined the variable, not only the latest. */
  global: boolean;
  granularity: 'cell' | 'operation';
  /** With operation granularity: the statements inside called notebook functions too. */
  expandFunctions: boolean;
}

export interface LineageValue {
  name: string;
  type: string;
  repr: string;
}

export interface LineageNode {
  id: string;
  /** `cell 3 [7]`, `cell 3:2`, `deleted cell`, … */
  label: string;
  cellId: string;
  cellIndex: number | null;
  executionCount: number | null;
  code: string;
  values: LineageValue[];
  /** The cell's inputs changed after it ran. */
  stale: boolean;
  /** One of the nodes whose value the graph explains. */
  target: boolean;
  /** A statement inside a called notebook function: the function's name. */
  function?: string;
  /** The cell's stage (`stage:<name>` cell tag). */
  stage?: string;
}

export interface LineageEdge {
  from: string;
  to: string;
  /** The names that flow along the edge (or `calls f` for an expanded function body). */
  names: string[];
}

export interface LineagePayload {
  notebook: string;
  variable: string;
  options: LineageOptions;
  /** Where the history came from, in words (`recorded session`, `saved execution counts`). */
  history: string;
  nodes: LineageNode[];
  edges: LineageEdge[];
}

// ---------------------------------------------------------------- trial diff

export interface TrialInfo {
  id: string;
  label: string;
  notebook: string;
  createdAt: string;
}

/** One side of a compared value, already in words. */
export interface ValueCell {
  type: string;
  repr: string;
  /** The scalar as text, when it is one. */
  value?: string;
  shape?: string;
  dtype?: string;
  hash?: string;
  /** A large value without its content hash: `hash pending`, or `hash never computed (changed before it was hashed)`. */
  hashNote?: string;
}

export interface DiffRow {
  name: string;
  a: string | null;
  b: string | null;
  equal: boolean;
}

export interface ValueDiffRow {
  name: string;
  role: string;
  /** How the value is compared: a metric-like number, a complex value, a model, anything else. */
  kind: 'number' | 'complex' | 'model' | 'other';
  a: ValueCell | null;
  b: ValueCell | null;
  equal: boolean;
  delta?: { absolute: number | null; relative: number | null };
  /** Descriptive properties that differ (shape, dtype, columns, length, type). */
  changes: string[];
  /** A model's hyperparameters that differ. */
  hyperparameters?: DiffRow[];
  note?: string;
  /**
   * Set when the content was not compared because a side has no content hash yet or ever (a large
   * value hashed in the background): the status reads "not compared", never "same" or "changed";
   * `equal` is false. One short phrase, e.g. `hash pending on A`.
   */
  notCompared?: string;
}

export interface FileDiffRow {
  path: string;
  status: 'same' | 'changed' | 'onlyA' | 'onlyB' | 'unknown';
  a: string[];
  b: string[];
}

export interface TrialDiffPayload {
  a: TrialInfo;
  b: TrialInfo;
  /** Parameters with their effective values (injected ones, else the tagged `param` values). */
  params: DiffRow[];
  values: ValueDiffRow[];
  files: FileDiffRow[];
  language: DiffRow;
  packages: DiffRow[];
  /** The operation-order diff, a unified diff made by the `diff` package. */
  order: string;
  /** Said when the trials share no tagged name. */
  message?: string;
}

// ---------------------------------------------------------------- across trials

export interface AcrossTrialsRow {
  trialId: string;
  trial: string;
  notebook: string;
  createdAt: string;
  /** The recorded scalar (non-finite floats spelled "NaN"/"Infinity"/"-Infinity"); null for complex values. */
  value: string | number | boolean | null;
  repr: string;
  type: string;
  hash?: string;
  /** A large value without its content hash (pending when the trial was saved, or never computed). */
  deferred?: 'pending' | 'abandoned';
  /** The trial's parameters, as text, for the hover. */
  params: Record<string, string>;
  /** The value of `against` in the same trial, when a scatter is asked for. */
  x?: string | number | boolean | null;
}

export interface AcrossTrialsPayload {
  variable: string;
  role: string;
  /** The parameter (or other tagged variable) on the x axis; null for the series over trials. */
  against: string | null;
  /** Names `against` can take: tagged variables of these trials other than `variable`, parameters first. */
  candidates: string[];
  rows: AcrossTrialsRow[];
}

// ---------------------------------------------------------------- messages

/** A helpful state instead of a blank panel: no store, no trials, a variable never tagged, … */
export interface EmptyState {
  title: string;
  message: string;
  /** A next step the host can run (a command id from the command table). */
  action?: { label: string; command: string };
}

export type HostMessage =
  | { type: 'lineage'; version: number; data: LineagePayload }
  | { type: 'trialDiff'; version: number; data: TrialDiffPayload }
  | { type: 'acrossTrials'; version: number; data: AcrossTrialsPayload }
  | { type: 'empty'; version: number; state: EmptyState }
  /** A trial this panel shows was deleted (in the tree, by the CLI): the panel says so. */
  | { type: 'trialDeleted'; version: number; trialId: string; message: string };

export type WebviewMessage =
  | { type: 'ready'; version: number; panel: PanelKind }
  | { type: 'revealCell'; cellId: string; cellIndex: number | null }
  | { type: 'lineageOptions'; options: LineageOptions }
  | { type: 'openDiff'; trialA: string; trialB: string }
  | { type: 'scatterAgainst'; against: string | null }
  | { type: 'exportCsv'; fileName: string; csv: string }
  | { type: 'runCommand'; command: string };

const WEBVIEW_TYPES = new Set(['ready', 'revealCell', 'lineageOptions', 'openDiff', 'scatterAgainst', 'exportCsv', 'runCommand']);
const HOST_TYPES = new Set(['lineage', 'trialDiff', 'acrossTrials', 'empty', 'trialDeleted']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A message from a webview, checked at the boundary (a webview is not trusted to be well-formed). */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (!isRecord(value) || typeof value.type !== 'string' || !WEBVIEW_TYPES.has(value.type)) return undefined;
  const m = value as WebviewMessage;
  switch (m.type) {
    case 'ready':
      return typeof m.version === 'number' && typeof m.panel === 'string' ? m : undefined;
    case 'revealCell':
      return typeof m.cellId === 'string' && (m.cellIndex === null || typeof m.cellIndex === 'number') ? m : undefined;
    case 'lineageOptions':
      return isRecord(m.options) && (m.options.granularity === 'cell' || m.options.granularity === 'operation') ? m : undefined;
    case 'openDiff':
      return typeof m.trialA === 'string' && typeof m.trialB === 'string' ? m : undefined;
    case 'scatterAgainst':
      return m.against === null || typeof m.against === 'string' ? m : undefined;
    case 'exportCsv':
      return typeof m.fileName === 'string' && typeof m.csv === 'string' ? m : undefined;
    case 'runCommand':
      return typeof m.command === 'string' && m.command.startsWith('nbprov.') ? m : undefined;
  }
}

/** A message from the host; one of another protocol version is refused, not misread. */
export function parseHostMessage(value: unknown): HostMessage | { type: 'versionMismatch'; version: unknown } | undefined {
  if (!isRecord(value) || typeof value.type !== 'string' || !HOST_TYPES.has(value.type)) return undefined;
  if (value.version !== PROTOCOL_VERSION) return { type: 'versionMismatch', version: value.version };
  return value as HostMessage;
}
