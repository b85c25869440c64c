import type { Trial } from '../records';
import { closestNames } from '../errors';
import { AmbiguousTrialError, UnknownTrialError } from './errors';

/** The name a person reads for a trial: its name when it has one, else its id. */
export function trialLabel(trial: Pick<Trial, 'id' | 'name'>): string {
  // One line whatever the name holds: a newline in a name could fake a line of output.
  return (trial.name ?? trial.id).replace(/\r\n|\r|\n/g, ' ⏎ ');
}

/**
 * Finds the trial a user meant by `reference`: an exact id, then an exact name (the latest trial
 * of that name when several share it), then a unique id prefix.
 * Throws UnknownTrialError (with the closest ids/names) or AmbiguousTrialError.
 */
export function resolveTrial<T extends Pick<Trial, 'id' | 'name' | 'createdAt'>>(trials: readonly T[], reference: string): T {
  const byId = trials.find((t) => t.id === reference);
  if (byId) return byId;
  const byName = trials.filter((t) => t.name === reference);
  if (byName.length) return byName.reduce((latest, t) => (t.createdAt > latest.createdAt ? t : latest));
  const byPrefix = trials.filter((t) => t.id.startsWith(reference));
  if (byPrefix.length === 1) return byPrefix[0];
  if (byPrefix.length > 1) throw new AmbiguousTrialError(reference, byPrefix.slice(0, 5).map((t) => t.id));
  const candidates = trials.flatMap((t) => (t.name ? [t.name, t.id] : [t.id]));
  throw new UnknownTrialError(reference, closestNames(reference, candidates));
}
