/**
 * `nbprov run`'s RecordingSink stores late hashes (issue 13) with the records, in a real store
 * file: a patch handed over in the same batch as its record, or for a record saved in an earlier
 * batch, lands; the run's note says plainly what unhashed values mean.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openStore } from '../../src/core/store';
import { pendingHashesNote } from '../../src/cli/commands/run';
import { HASH_FLUSH_SECONDS } from '../../src/kernel/recorderSession';
import { RecordingSink } from '../../src/cli/session';
import { execution, tempWorkspace } from '../store/fixtures';
import type { ValueSummary } from '../../src/core/records';

const pending = (name: string): ValueSummary => ({ name, type: 'numpy.ndarray', repr: 'array(...)', shape: [2_000_000], deferred: 'pending', stats: { mean: 1, sampled: 1000 } });

describe('RecordingSink and late hashes', () => {
  test('a patch given before its record was stored waits for it; one for an earlier batch lands too', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    const sink = new RecordingSink(store, { delayMs: 0 });
    t.after(() => sink.dispose());
    sink.add(execution('s-1', { values: [pending('a')] }));
    await sink.flush();
    // Same batch: the record and its patch are handed over together, record first.
    sink.add(execution('s-2', { values: [pending('b')] }));
    sink.addPatches([{ executionId: 's-2', name: 'b', hash: 'sha256:b' }]);
    // Earlier batch: s-1 is already saved.
    sink.addPatches([{ executionId: 's-1', name: 'a', abandoned: true }]);
    await sink.flush();
    store.close();
    const again = await openStore(ws);
    assert.equal(again.valuesOf('s-2')[0].hash, 'sha256:b');
    assert.equal(again.valuesOf('s-2')[0].deferred, undefined);
    assert.equal(again.valuesOf('s-1')[0].deferred, 'abandoned');
    again.close();
  });

  test('the run says how many values are unhashed and what that means', () => {
    assert.match(pendingHashesNote(1, true), /^1 large value is still unhashed/);
    const note = pendingHashesNote(1234, true);
    assert.match(note, /1,234 large values are still unhashed after waiting/);
    assert.match(note, new RegExp(`${HASH_FLUSH_SECONDS} s`));
    assert.match(note, /never reported equal/);
    assert.match(pendingHashesNote(2, false), /^2 large values are still unhashed \(the run ended before the kernel's background hasher finished\)/);
  });
});
