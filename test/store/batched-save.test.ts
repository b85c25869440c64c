// BatchedSave coalesces many changes into few whole-file saves, saves without being asked, and
// keeps changes pending (and retries them) when a save fails.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BatchedSave } from '../../src/core/store/batchedSave';

/** A save that records each call and can be held open or made to fail. */
function recordingSave() {
  const calls: number[] = [];
  let failNext = false;
  let release: (() => void) | null = null;
  let hold = false;
  const saved: Array<() => void> = [];
  return {
    calls,
    failNext: () => (failNext = true),
    holdNext: () => (hold = true),
    release: () => release?.(),
    whenSaved: () => new Promise<void>((resolve) => saved.push(resolve)),
    save: async () => {
      calls.push(calls.length + 1);
      if (hold) {
        hold = false;
        await new Promise<void>((resolve) => (release = resolve));
      }
      if (failNext) {
        failNext = false;
        throw new Error('disk full');
      }
      saved.splice(0).forEach((resolve) => resolve());
    },
  };
}

describe('BatchedSave', () => {
  test('changes made together are saved once, without a flush', async () => {
    const target = recordingSave();
    const batched = new BatchedSave(target.save, { delayMs: 10 });
    const saved = target.whenSaved();
    for (let i = 0; i < 100; i++) batched.changed();
    await saved;
    assert.deepEqual(target.calls, [1]);
    await batched.flush();
    assert.deepEqual(target.calls, [1], 'nothing new: flush does not save again');
    batched.dispose();
  });

  test('a change during a save is saved by a second save; flush waits for both', async () => {
    const target = recordingSave();
    const batched = new BatchedSave(target.save, { delayMs: 0 });
    target.holdNext();
    batched.changed();
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual(target.calls, [1]);
    batched.changed();
    const flushed = batched.flush();
    target.release();
    await flushed;
    assert.deepEqual(target.calls, [1, 2]);
  });

  test('a failed background save is reported and its changes are saved by the next flush', async () => {
    const target = recordingSave();
    const errors: string[] = [];
    let reported: () => void = () => undefined;
    const failed = new Promise<void>((resolve) => (reported = resolve));
    const batched = new BatchedSave(target.save, {
      delayMs: 0,
      onError: (error) => {
        errors.push((error as Error).message);
        reported();
      },
    });
    target.failNext();
    batched.changed();
    await failed;
    assert.deepEqual(errors, ['disk full']);
    await batched.flush();
    assert.deepEqual(target.calls, [1, 2]);
  });

  test('a failing flush rejects and keeps the changes pending', async () => {
    const target = recordingSave();
    const batched = new BatchedSave(target.save);
    batched.changed();
    target.failNext();
    await assert.rejects(batched.flush(), /disk full/);
    await batched.flush();
    assert.deepEqual(target.calls, [1, 2]);
  });
});
