/**
 * The recorded data model: what capture produces, the store keeps, and trials are built from.
 * The types the CLI's JSON and the webviews share are defined once, in src/shared/records.ts;
 * the session record and the id of `nbprov run`'s injected cell are the engine's own.
 */
import type { EnvironmentRecord } from '../shared/records';

export type { JsonValue, ValueSummary, ValuePatch, FileAccessRecord, EnvironmentRecord, ExecutionRecord, ObjectIdentity, TrialValue, TrialOperation, TrialExecution, Trial, EffectiveParam } from '../shared/records';

export interface SessionRecord {
  id: string;
  notebookPath: string;
  kernelName: string | null;
  startedAt: string;
  environment: EnvironmentRecord | null;
}

/** The cell id `nbprov run` records the parameters it injects under: no cell of the notebook. */
export const INJECTED_PARAMETERS_CELL_ID = 'injected-parameters';
