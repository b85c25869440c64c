import type { Trial } from '../core/records';
import type { Store } from '../core/store';
import { resolveTrial } from '../core/trials';

/** The full trial a user means by an id, a unique id prefix or a name. */
export function findTrial(store: Store, reference: string): Trial {
  const summary = resolveTrial(store.listTrials(), reference);
  // The summary came from the same store a moment ago, so the document exists.
  return store.getTrial(summary.id)!;
}
