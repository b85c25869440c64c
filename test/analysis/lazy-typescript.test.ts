import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAnalyzer } from '../../src/core/analysis';
import { scriptAnalyzerLoaded } from '../../src/core/analysis/script';

const typescriptLoaded = () => Object.keys(require.cache).some((file) => /[\\/]node_modules[\\/]typescript[\\/]/.test(file));

describe('the TypeScript analyser loads on first use', () => {
  it('is not loaded by Python work, and is loaded by the first JS/TS cell', async () => {
    const analyzer = await createAnalyzer();
    assert.deepEqual(analyzer.analyze('x = y + 1', 'python').defines, ['x']);
    assert.equal(scriptAnalyzerLoaded(), false);
    assert.equal(typescriptLoaded(), false, 'the typescript package was loaded by Python-only work');

    const facts = analyzer.analyze('const a = b + 1;', 'typescript');
    assert.deepEqual([facts.defines, facts.uses], [['a'], ['b']]);
    assert.equal(scriptAnalyzerLoaded(), true);
    assert.equal(typescriptLoaded(), true);
  });
});
