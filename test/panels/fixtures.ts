/** Fixture payloads for the panels, typed by the protocol, full of hostile values from "notebooks". */
import type { AcrossTrialsPayload, AcrossTrialsRow, LineageEdge, LineageNode, LineagePayload, TrialDiffPayload } from '../../src/shared/protocol';

/** Strings that would run script or inject markup if any panel rendered values as HTML. */
export const HOSTILE = {
  script: '<script>window.__pwned = "script"</script>',
  img: '<img src=x onerror="window.__pwned = \'img\'">',
  js: 'javascript:window.__pwned="href"',
  svg: '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=\'svg\'"><script>window.__pwned="svg-script"</script></svg>',
  rtl: 'דיוק‮evil‬ مقياس',
  unicode: 'µ-accuracy 🎯 日本語 e\u0301',
  iframe: '<iframe src="javascript:parent.__pwned=1"></iframe>',
};

export const MEGABYTE = 'A'.repeat(1024 * 1024);

export function lineageFixture(): LineagePayload {
  const nodes: LineageNode[] = [
    { id: 'e1', label: 'cell 0 [1]', cellId: 'c0', cellIndex: 0, executionCount: 1, code: `import pandas as pd\ndf = pd.read_csv("${HOSTILE.js}")`, values: [{ name: 'df', type: 'pandas.DataFrame', repr: HOSTILE.img }], stale: false, target: false },
    { id: 'e2', label: 'cell 1 [2]', cellId: 'c1', cellIndex: 1, executionCount: 2, code: `${HOSTILE.rtl} = 0.1\nlr = 0.1`, values: [{ name: 'lr', type: 'float', repr: '0.1' }], stale: true, target: false },
    { id: 'e3', label: 'cell 2 [3]', cellId: 'c2', cellIndex: 2, executionCount: 3, code: `model = fit(df, lr)  # ${HOSTILE.script}`, values: [{ name: 'model', type: 'sklearn.Model', repr: HOSTILE.svg }], stale: false, target: false },
    { id: 'e4', label: 'cell 3 [4]', cellId: 'c3', cellIndex: 3, executionCount: 4, code: 'accuracy = model.score(df)', values: [{ name: HOSTILE.unicode, type: 'str', repr: MEGABYTE }], stale: false, target: true },
  ];
  const edges: LineageEdge[] = [
    { from: 'e1', to: 'e3', names: ['df'] },
    { from: 'e2', to: 'e3', names: ['lr', HOSTILE.iframe] },
    { from: 'e3', to: 'e4', names: ['model'] },
    { from: 'e1', to: 'e4', names: ['df'] },
  ];
  return { notebook: `experiments/${HOSTILE.rtl}.ipynb`, variable: 'accuracy', options: { global: false, granularity: 'cell', expandFunctions: false }, history: 'recorded session history', nodes, edges };
}

/** A layered DAG of `count` nodes, each reading from up to two nodes of the layer above. */
export function bigLineage(count: number): LineagePayload {
  const width = 10;
  const nodes: LineageNode[] = [];
  const edges: LineageEdge[] = [];
  for (let i = 0; i < count; i++) {
    nodes.push({ id: `n${i}`, label: `cell ${i} [${i + 1}]`, cellId: `c${i}`, cellIndex: i, executionCount: i + 1, code: `v${i} = f(v${i - width}, v${i - width - 1})`, values: [{ name: `v${i}`, type: 'float', repr: String(i / 7) }], stale: i % 37 === 0, target: i === count - 1 });
    if (i >= width) edges.push({ from: `n${i - width}`, to: `n${i}`, names: [`v${i - width}`] });
    if (i > width && i % width !== 0) edges.push({ from: `n${i - width - 1}`, to: `n${i}`, names: [`v${i - width - 1}`] });
  }
  return { notebook: 'big.ipynb', variable: `v${count - 1}`, options: { global: false, granularity: 'cell', expandFunctions: false }, history: 'recorded session history', nodes, edges };
}

export function trialDiffFixture(): TrialDiffPayload {
  return {
    a: { id: 't-1', label: HOSTILE.script, notebook: 'fraud.ipynb', createdAt: '2026-11-30T10:00:00.000Z' },
    b: { id: 't-2', label: `second ${HOSTILE.rtl}`, notebook: 'fraud.ipynb', createdAt: '2026-11-30T11:00:00.000Z' },
    params: [
      { name: 'n_estimators', a: '100', b: '300', equal: false },
      { name: 'seed', a: '42', b: '42', equal: true },
      { name: HOSTILE.img, a: HOSTILE.js, b: null, equal: false },
    ],
    values: [
      { name: 'accuracy', role: 'metric', kind: 'number', a: { type: 'float', repr: '0.91', value: '0.91' }, b: { type: 'float', repr: '0.935', value: '0.935' }, equal: false, delta: { absolute: 0.025, relative: 0.0274725 }, changes: [] },
      { name: 'X_train', role: 'dataset', kind: 'complex', a: { type: 'numpy.ndarray', repr: 'array(...)', shape: '(800, 30)', dtype: 'float64', hash: 'ab12cd34ef56ab12' }, b: { type: 'numpy.ndarray', repr: 'array(...)', shape: '(900, 30)', dtype: 'float64', hash: '99aa88bb77cc66dd' }, equal: false, changes: ['shape'] },
      { name: 'model', role: 'model', kind: 'model', a: { type: 'RandomForestClassifier', repr: HOSTILE.svg }, b: { type: 'RandomForestClassifier', repr: 'RandomForestClassifier(n_estimators=300)' }, equal: false, changes: [], hyperparameters: [{ name: 'n_estimators', a: '100', b: '300', equal: false }] },
      { name: 'label', role: 'metric', kind: 'other', a: { type: 'str', repr: MEGABYTE, value: MEGABYTE }, b: { type: 'str', repr: HOSTILE.unicode, value: HOSTILE.unicode }, equal: false, changes: [] },
      { name: 'threshold', role: 'param', kind: 'number', a: { type: 'float', repr: '0.5', value: '0.5' }, b: { type: 'float', repr: '0.5', value: '0.5' }, equal: true, delta: { absolute: 0, relative: 0 }, changes: [] },
    ],
    files: [
      { path: `data/${HOSTILE.iframe}.csv`, status: 'changed', a: ['1111222233334444'], b: ['5555666677778888'] },
      { path: 'data/static.csv', status: 'same', a: ['abcdabcdabcdabcd'], b: ['abcdabcdabcdabcd'] },
    ],
    language: { name: 'language', a: 'python 3.11.2', b: 'python 3.11.2', equal: true },
    packages: [{ name: 'scikit-learn', a: '1.3.0', b: '1.4.2', equal: false }],
    order: [
      '===================================================================',
      '--- trial a (t-1)\t2026-11-30T10:00:00.000Z',
      '+++ trial b (t-2)\t2026-11-30T11:00:00.000Z',
      '@@ -1,3 +1,3 @@',
      ' [cell 0] df = pd.read_csv("data.csv")',
      `-[cell 1] model = RandomForestClassifier(n_estimators=100) ${HOSTILE.script}`,
      '+[cell 1] model = RandomForestClassifier(n_estimators=300)',
      ' [cell 2] accuracy = model.score(X, y)',
      '',
    ].join('\n'),
  };
}

export function acrossTrialsFixture(count = 12): AcrossTrialsPayload {
  const rows: AcrossTrialsRow[] = [];
  const start = Date.parse('2026-11-01T09:00:00Z');
  for (let i = 0; i < count; i++) {
    const notebook = i % 3 === 2 ? `other-${HOSTILE.rtl}.ipynb` : 'fraud.ipynb';
    const name = i === 3 ? HOSTILE.script : i === 4 ? HOSTILE.img : i === 5 ? HOSTILE.unicode : i === 6 ? MEGABYTE : `trial-${i + 1}`;
    rows.push({
      trialId: `t${i}`,
      trial: name,
      notebook,
      createdAt: new Date(start + i * 3_600_000 * (1 + (i % 4))).toISOString(),
      value: i === 7 ? 'NaN' : Math.round((0.8 + 0.15 * Math.sin(i / 2)) * 1000) / 1000,
      repr: i === 8 ? HOSTILE.svg : 'float',
      type: 'float',
      params: { n_estimators: String(100 + 50 * i), [HOSTILE.js]: HOSTILE.iframe },
      x: 100 + 50 * i,
    });
  }
  return { variable: 'accuracy', role: 'metric', against: null, candidates: ['n_estimators', HOSTILE.img], rows };
}

export function categoricalFixture(): AcrossTrialsPayload {
  const kinds = ['rbf', 'linear', HOSTILE.script, 'poly'];
  const rows: AcrossTrialsRow[] = kinds.concat(kinds).map((k, i) => ({ trialId: `c${i}`, trial: `run ${i}`, notebook: 'svm.ipynb', createdAt: `2026-11-0${i + 1}T10:00:00.000Z`, value: null, repr: `${k} ndarray`, type: 'numpy.ndarray', hash: `${i % 4}f00ba4${i % 4}`.padEnd(16, '0'), params: {} }));
  return { variable: 'kernel_matrix', role: 'dataset', against: null, candidates: [], rows };
}

export function bigAcross(count: number): AcrossTrialsPayload {
  const rows: AcrossTrialsRow[] = [];
  const start = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < count; i++) {
    rows.push({ trialId: `t${i}`, trial: `trial-${i}`, notebook: i % 2 ? 'a.ipynb' : 'b.ipynb', createdAt: new Date(start + i * 60_000).toISOString(), value: Math.sin(i / 50) + i / count, repr: 'float', type: 'float', params: { lr: String(i % 10) } });
  }
  return { variable: 'loss', role: 'metric', against: null, candidates: ['lr'], rows };
}
