import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ExecutionRecord, ValueSummary } from '../../src/core/records';
import type { JupyterServerClient } from '../../src/kernel/jupyterServerClient';
import type { ExecuteResult } from '../../src/kernel/kernelClient';
import { toExecutionRecord } from '../../src/kernel/recordConversion';
import { RecorderSession, installRecorder } from '../../src/kernel/recorderSession';
import { runCells } from '../../src/kernel/runCells';
import { KERNEL_TEST_TIMEOUT, startKernel } from './helpers';

let client: JupyterServerClient;
let dir: string;
let session: RecorderSession;
let cellCounter = 0;

/** Runs code as a notebook cell would (counted, hooks on) and returns its record. */
async function cell(code: string): Promise<ExecutionRecord> {
  const index = cellCounter++;
  const result = await runCells(client, [{ cellId: `c${index}`, cellIndex: index, code }], { notebookPath: 'nb.ipynb', session });
  assert.equal(result.executions.length, 1);
  return result.executions[0]!;
}

function value(record: ExecutionRecord, name: string): ValueSummary {
  const found = record.values.find((v) => v.name === name);
  assert.ok(found, `no summary of ${name} in ${JSON.stringify(record.values.map((v) => v.name))}`);
  return found;
}

describe('capture from a real IPython kernel', { timeout: KERNEL_TEST_TIMEOUT }, () => {
  before(async () => {
    ({ client, dir } = await startKernel());
    session = new RecorderSession(client, 'nb.ipynb');
    await session.ensureInstalled();
  });
  after(async () => {
    await client?.dispose();
  });

  test('back-to-back executions collected at once are attributed by count and code', async () => {
    await session.collect();
    const codes = ['a1 = 1', 'b1 = a1 + 1', 'a1 = 10', 'b1 = a1 * 2'];
    const replies: ExecuteResult[] = [];
    for (const code of codes) replies.push(await client.execute(code));
    const batch = await session.collect();
    assert.equal(batch.records.length, 4);
    batch.records.forEach((raw, i) => {
      assert.equal(raw.code, codes[i]);
      assert.equal(raw.executionCount, replies[i]!.executionCount);
    });
    const last = toExecutionRecord(batch.records[3]!, batch.sessionId!, { notebookPath: 'nb.ipynb', cellId: 'x', cellIndex: 3 });
    assert.deepEqual(value(last, 'b1').value, 20);
    assert.equal(last.sessionId, session.sessionId);
  });

  test('queued executions (Run All) are attributed exactly, without collecting in between', async () => {
    await session.collect();
    const codes = Array.from({ length: 5 }, (_, i) => `q${i} = ${i} * 3`);
    const replies = await Promise.all(codes.map((code) => client.execute(code)));
    const batch = await session.collect();
    assert.deepEqual(batch.records.map((r) => r.code), codes);
    assert.deepEqual(batch.records.map((r) => r.executionCount), replies.map((r) => r.executionCount));
    assert.deepEqual(batch.records.map((r) => r.values.find((v) => v.name.startsWith('q'))?.value), [0, 3, 6, 9, 12]);
  });

  test('re-executed and edited cells each get their own record with the exact code', async () => {
    const first = await cell('edited = 1');
    const again = await cell('edited = 1');
    const changed = await cell('edited = 2  # edited');
    assert.notEqual(first.executionCount, again.executionCount);
    assert.equal(changed.code, 'edited = 2  # edited');
    assert.equal(value(changed, 'edited').value, 2);
    assert.notEqual(first.id, again.id);
  });

  test('in-place mutation is detected: df[...] = , list.append, inplace=True', async () => {
    await cell('import pandas as pd\nimport numpy as np\nframe = pd.DataFrame({"a": [1, 2, None]})\nitems = [1, 2]');
    const assigned = await cell('frame["b"] = frame.a * 2');
    assert.equal(value(assigned, 'frame').mutated, true);
    assert.deepEqual(value(assigned, 'frame').columns, ['a', 'b']);
    const appended = await cell('items.append(3)');
    assert.equal(value(appended, 'items').mutated, true);
    assert.equal(value(appended, 'items').length, 3);
    const before = await cell('frame2 = frame.copy()');
    const dropped = await cell('frame.dropna(inplace=True)');
    assert.equal(value(dropped, 'frame').mutated, true);
    assert.deepEqual(value(dropped, 'frame').shape, [2, 2]);
    assert.notEqual(value(dropped, 'frame').hash, value(before, 'frame2').hash);
    const untouched = await cell('unrelated = 5');
    assert.deepEqual(untouched.values.map((v) => v.name), ['unrelated']);
  });

  test('numpy, pandas and sklearn summaries, NaN and infinities', async () => {
    const record = await cell(
      [
        'import numpy as np, pandas as pd',
        'from sklearn.linear_model import LogisticRegression',
        'arr = np.array([[1.0, 2.0], [3.0, np.nan]])',
        'ser = pd.Series([1, 2, 3], name="s")',
        'tbl = pd.DataFrame({"x": [1, 2], "y": ["u", "v"]})',
        'model = LogisticRegression(C=0.25, max_iter=50)',
        'nan_value = float("nan"); pos_inf = float("inf"); neg_inf = -float("inf")',
        'score = np.float64(0.925)',
      ].join('\n'),
    );
    const arr = value(record, 'arr');
    assert.equal(arr.type, 'numpy.ndarray');
    assert.deepEqual(arr.shape, [2, 2]);
    assert.equal(arr.dtype, 'float64');
    assert.equal(arr.stats?.nulls, 1);
    assert.equal(arr.stats?.max, 3);
    assert.match(arr.hash ?? '', /^[0-9a-f]{32}$/);
    const ser = value(record, 'ser');
    assert.equal(ser.type, 'pandas.core.series.Series');
    assert.equal(ser.stats?.mean, 2);
    const tbl = value(record, 'tbl');
    assert.deepEqual(tbl.columns, ['x', 'y']);
    assert.deepEqual(tbl.dtype, { x: 'int64', y: 'object' });
    const model = value(record, 'model');
    assert.equal(model.type, 'sklearn.linear_model._logistic.LogisticRegression');
    assert.equal(model.params?.C, 0.25);
    assert.equal(model.params?.max_iter, 50);
    assert.equal(value(record, 'nan_value').value, 'NaN');
    assert.equal(value(record, 'pos_inf').value, 'Infinity');
    assert.equal(value(record, 'neg_inf').value, '-Infinity');
    assert.equal(value(record, 'score').value, 0.925);
    const same = await cell('arr_copy = arr.copy()');
    assert.equal(value(same, 'arr_copy').hash, arr.hash);
  });

  test('content hashes: one changed value changes the hash; equal content in a fresh object hashes the same', async () => {
    const base = await cell(
      [
        'import numpy as np, pandas as pd',
        'hf = pd.DataFrame({"t": np.arange(5000), "v": np.linspace(0, 1, 5000), "s": [f"k{i % 7}" for i in range(5000)]})',
        'hn = pd.DataFrame(np.random.default_rng(1).normal(size=(4000, 6)), columns=list("abcdef"))',
        'ha = np.random.default_rng(2).normal(size=(300, 300))',
      ].join('\n'),
    );
    const fresh = await cell('hf2 = pd.DataFrame({c: hf[c].to_list() for c in hf.columns})\nhn2 = hn.copy()\nha2 = np.array(ha.tolist())');
    assert.equal(value(fresh, 'hf2').hash, value(base, 'hf').hash);
    assert.equal(value(fresh, 'hn2').hash, value(base, 'hn').hash);
    assert.equal(value(fresh, 'ha2').hash, value(base, 'ha').hash);
    const edited = await cell('hf2.loc[4321, "v"] = 0.5\nhn2.iloc[3999, 5] += 1e-12\nha2[150, 150] = -ha2[150, 150]');
    for (const name of ['hf2', 'hn2', 'ha2']) {
      assert.equal(value(edited, name).mutated, true, `${name} was mutated in place`);
      assert.match(value(edited, name).hash ?? '', /^[0-9a-f]{32}$/);
    }
    assert.notEqual(value(edited, 'hf2').hash, value(base, 'hf').hash);
    assert.notEqual(value(edited, 'hn2').hash, value(base, 'hn').hash);
    assert.notEqual(value(edited, 'ha2').hash, value(base, 'ha').hash);
    const text = await cell('hf3 = hf.copy()\nhf3.loc[0, "s"] = "changed"');
    assert.notEqual(value(text, 'hf3').hash, value(base, 'hf').hash);
    const relabeled = await cell('hn3 = hn.rename(columns={"a": "z"})\nhn4 = hn.astype("float32").astype("float64")\nhn5 = hn.set_axis(range(1, 4001))');
    assert.notEqual(value(relabeled, 'hn3').hash, value(base, 'hn').hash, 'column names are part of the hash');
    assert.notEqual(value(relabeled, 'hn5').hash, value(base, 'hn').hash, 'the index is part of the hash');
    assert.deepEqual(value(relabeled, 'hn4').stats?.nulls, 0);
    const retyped = await cell('ha3 = ha.astype("float32")');
    assert.notEqual(value(retyped, 'ha3').hash, value(base, 'ha').hash, 'the dtype is part of the hash');
  });

  test('lists of floats hash equal exactly when their reprs are equal (-0.0 is not 0.0; NaNs print alike), short ones as they always did', async () => {
    const record = await cell(
      [
        'fl_a = [i * 0.1 for i in range(30_000)]',
        'fl_b = [float(repr(x)) for x in fl_a]',
        'fl_zero, fl_negzero = [1.5, 0.0], [1.5, -0.0]',
        'fl_nan, fl_negnan = [1.5, float("nan")], [1.5, -float("nan")]',
        'fl_mixed_a, fl_mixed_b = [1.5, "x", None], [1.5, "x", None]',
      ].join('\n'),
    );
    const hash = (name: string) => value(record, name).hash;
    assert.match(hash('fl_zero') ?? '', /^[0-9a-f]{32}$/);
    assert.equal(hash('fl_a'), hash('fl_b'), 'the same floats in a new list');
    assert.match(hash('fl_a') ?? '', /^partial:/, 'hashed over its first MAX_HASH_ITEMS items');
    const tail = await cell('fl_d = list(fl_a[:1000]); fl_e = list(fl_a[:1000]); fl_e[999] += 1e-12');
    assert.notEqual(value(tail, 'fl_d').hash, value(tail, 'fl_e').hash, 'one float changed in its last bit');
    assert.notEqual(hash('fl_zero'), hash('fl_negzero'));
    assert.equal(hash('fl_nan'), hash('fl_negnan'));
    assert.equal(hash('fl_mixed_a'), hash('fl_mixed_b'));
    assert.notEqual(hash('fl_nan'), hash('fl_zero'));
    // Short lists (a trial's list of metrics) keep the digest earlier versions recorded.
    assert.equal(hash('fl_zero'), 'f340177cda435a9ef66fa22f4ec41202');
  });

  test('a numeric frame gets stats in one pass; NaN count as nulls and are left out of the numbers', async () => {
    const record = await cell('import numpy as np, pandas as pd\nstats_frame = pd.DataFrame({"i": [1, 2, 3, 4], "f": [0.5, np.nan, 2.5, np.inf]})');
    const stats = value(record, 'stats_frame').stats;
    assert.deepEqual(stats, { nulls: 1, numericColumns: 2, min: 0.5, max: 4, mean: 13 / 6, std: stats?.std });
    assert.ok(Math.abs((stats?.std ?? 0) - Math.sqrt([1, 2, 3, 4, 0.5, 2.5].reduce((a, x) => a + (x - 13 / 6) ** 2, 0) / 6)) < 1e-9);
  });

  test('a fitted forest is hashed by its parameters and fitted trees: refit on the same data is the same, other data differs', async () => {
    const record = await cell(
      [
        'import numpy as np',
        'from sklearn.ensemble import RandomForestClassifier',
        'rf_X = np.random.default_rng(3).normal(size=(300, 4)); rf_y = (rf_X[:, 0] > 0).astype(int)',
        'forest_a = RandomForestClassifier(n_estimators=20, max_depth=4, random_state=0).fit(rf_X, rf_y)',
        'forest_b = RandomForestClassifier(n_estimators=20, max_depth=4, random_state=0).fit(rf_X, rf_y)',
        'forest_c = RandomForestClassifier(n_estimators=20, max_depth=4, random_state=0).fit(rf_X[::-1], 1 - rf_y[::-1])',
      ].join('\n'),
    );
    const hash = (name: string) => value(record, name).hash;
    assert.match(hash('forest_a') ?? '', /^[0-9a-f]{32}$/, 'the whole forest fits in the hash budget');
    assert.equal(hash('forest_a'), hash('forest_b'));
    assert.notEqual(hash('forest_a'), hash('forest_c'));
    const refit = await cell('forest_a.set_params(max_depth=3).fit(rf_X, rf_y)');
    assert.equal(value(refit, 'forest_a').mutated, true);
    assert.notEqual(value(refit, 'forest_a').hash, hash('forest_a'));
  });

  test('a __repr__ that raises, hangs or returns 100 MB is never called: such objects are shown by type and identity', async () => {
    const started = Date.now();
    const record = await cell(
      [
        'import time',
        'class Raises:\n    def __repr__(self): raise RuntimeError("no repr")',
        'class Hangs:\n    def __repr__(self):\n        time.sleep(60)\n        return "never"',
        'class Huge:\n    def __repr__(self): return "x" * 100_000_000',
        'raises, hangs, huge = Raises(), Hangs(), Huge()',
      ].join('\n'),
    );
    assert.ok(Date.now() - started < 15000, 'the hanging repr was called');
    for (const name of ['raises', 'hangs', 'huge']) {
      const summary = value(record, name);
      assert.match(summary.repr, new RegExp(`^<__main__\\.${name[0]!.toUpperCase()}${name.slice(1)} object at 0x[0-9a-f]+>$`));
      assert.equal(summary.error, undefined);
    }
    assert.ok(JSON.stringify(record).length < 8000);
    const next = await cell('after_bad = 1');
    assert.equal(value(next, 'after_bad').value, 1);
  });

  test('file hashes change when a CSV changes between two reads', async () => {
    const csv = path.join(dir, 'data.csv');
    writeFileSync(csv, 'a,b\n1,2\n');
    const first = await cell(`import pandas as pd\ndata = pd.read_csv(${JSON.stringify(csv)})`);
    writeFileSync(csv, 'a,b\n1,3\n');
    const second = await cell(`data = pd.read_csv(${JSON.stringify(csv)})`);
    const f1 = first.files.find((f) => f.path === csv);
    const f2 = second.files.find((f) => f.path === csv);
    assert.ok(f1 && f2, JSON.stringify(first.files));
    assert.equal(f1.kind, 'read');
    assert.equal(f1.hashBefore, f1.hashAfter);
    assert.notEqual(f1.hashAfter, f2.hashAfter);
    assert.equal(f2.size, 8);
    const written = await cell(`data.to_csv(${JSON.stringify(path.join(dir, 'out.csv'))}, index=False)`);
    const out = written.files.find((f) => f.path.endsWith('out.csv'));
    assert.equal(out?.kind, 'write');
    assert.equal(out?.hashBefore, null);
    assert.match(out?.hashAfter ?? '', /^[0-9a-f]{32}$/);
  });

  test('re-installing is idempotent: one record per execution, same session', async () => {
    const before = session.sessionId;
    const again = await installRecorder(client);
    assert.equal(again.reinstalled, true);
    assert.equal(again.sessionId, before);
    await session.collect();
    await client.execute('once = 1');
    const batch = await session.collect();
    assert.equal(batch.records.length, 1);
  });

  test('the environment lists language, kernel, cwd and imported packages', async () => {
    const env = await session.environment();
    assert.ok(env);
    assert.equal(env.language, 'python');
    assert.match(env.languageVersion, /^3\.\d+/);
    assert.equal(env.kernelName, 'python3');
    assert.equal(env.cwd, dir);
    assert.match(env.packages.pandas ?? '', /^\d+\.\d+/);
    assert.match(env.packages.numpy ?? '', /^\d+\.\d+/);
    assert.equal(env.packages.ipykernel, undefined);
  });

  test('the environment sees a package installed or upgraded after an earlier read', async () => {
    const site = path.join(dir, 'site');
    const install = (version: string) =>
      [
        'import os, shutil',
        `site = ${JSON.stringify(site)}`,
        'os.makedirs(os.path.join(site, "nbprovfake"), exist_ok=True)',
        'open(os.path.join(site, "nbprovfake", "__init__.py"), "w").close()',
        'for old in [d for d in os.listdir(site) if d.endswith(".dist-info")]:\n    shutil.rmtree(os.path.join(site, old))',
        `info = os.path.join(site, "nbprovfake-${version}.dist-info")`,
        'os.makedirs(info)',
        `open(os.path.join(info, "METADATA"), "w").write("Metadata-Version: 2.1\\nName: nbprovfake\\nVersion: ${version}\\n")`,
        'open(os.path.join(info, "top_level.txt"), "w").write("nbprovfake\\n")',
      ].join('\n');
    await cell(`${install('1.0')}\nimport sys\nsys.path.insert(0, site)\nimport nbprovfake`);
    assert.equal((await session.environment())?.packages.nbprovfake, '1.0');
    await cell(install('2.0'));
    assert.equal((await session.environment())?.packages.nbprovfake, '2.0', 'read again once the installed packages changed');
  });
});
