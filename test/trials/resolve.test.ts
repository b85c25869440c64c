import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveTrial } from '../../src/core/trials/resolve';
import { AmbiguousTrialError, UnknownTrialError } from '../../src/core/trials/errors';
import { NbprovError } from '../../src/core/errors';
import { trial } from './helpers';

describe('resolveTrial', () => {
  const trials = [
    trial('a1b2c3', { name: 'baseline', createdAt: '2024-01-01T00:00:00Z' }),
    trial('a1ffff', { name: 'tuned', createdAt: '2024-01-02T00:00:00Z' }),
    trial('d4e5f6', { name: 'tuned', createdAt: '2024-01-03T00:00:00Z' }),
  ];

  test('by id, by name (latest of that name), by unique id prefix', () => {
    assert.equal(resolveTrial(trials, 'a1ffff').id, 'a1ffff');
    assert.equal(resolveTrial(trials, 'tuned').id, 'd4e5f6');
    assert.equal(resolveTrial(trials, 'd4').id, 'd4e5f6');
  });

  test('an ambiguous prefix and an unknown reference are typed errors with suggestions', () => {
    assert.throws(() => resolveTrial(trials, 'a1'), AmbiguousTrialError);
    assert.throws(() => resolveTrial(trials, 'basline'), (e: unknown) => e instanceof UnknownTrialError && e instanceof NbprovError && /did you mean "baseline"/.test(e.message));
    assert.throws(() => resolveTrial([], 'x'), (e: unknown) => e instanceof UnknownTrialError && e.code === 'unknown-trial' && e.data.reference === 'x' && !/nbprov/.test(e.message));
  });
});
