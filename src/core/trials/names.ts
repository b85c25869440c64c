/**
 * Trial names are unique in a workspace, so a name always means one trial. One rule for every
 * front end: a rename onto a taken name is refused; a new trial whose name is taken gets a visible
 * suffix, `NAME (2)`, and the caller says so.
 */
import type { Trial } from '../records';
import { TrialNameTakenError } from './errors';

type Named = Pick<Trial, 'id' | 'name'>;

/** The trial other than `exceptId` that has `name`, if any. */
export function trialWithName(trials: readonly Named[], name: string, exceptId?: string): Named | undefined {
  return trials.find((t) => t.name === name && t.id !== exceptId);
}

/** Throws TrialNameTakenError when another trial has `name` (null, no name, is always allowed). */
export function checkTrialRename(trials: readonly Named[], id: string, name: string | null): void {
  if (name === null) return;
  const other = trialWithName(trials, name, id);
  if (other) throw new TrialNameTakenError(name, other.id);
}

/** `wanted` when free, else the first free `wanted (2)`, `wanted (3)`, …, with the trial that had `wanted`. */
export function uniqueTrialName(trials: readonly Named[], wanted: string | null): { name: string | null; takenBy?: Named } {
  if (wanted === null) return { name: null };
  const takenBy = trialWithName(trials, wanted);
  if (!takenBy) return { name: wanted };
  const names = new Set(trials.map((t) => t.name));
  let n = 2;
  while (names.has(`${wanted} (${n})`)) n++;
  return { name: `${wanted} (${n})`, takenBy };
}

/** What a front end needs to rename a trial under the rule: the store's list and rename. */
export interface RenamableTrials {
  listTrialHeads(options: { roles: readonly string[] }): Named[];
  renameTrial(id: string, name: string | null): boolean;
}

/** Renames a trial unless another trial has the name (TrialNameTakenError); false when no trial has `id`. */
export function renameTrialUnique(store: RenamableTrials, id: string, name: string | null): boolean {
  checkTrialRename(store.listTrialHeads({ roles: [] }), id, name);
  return store.renameTrial(id, name);
}
