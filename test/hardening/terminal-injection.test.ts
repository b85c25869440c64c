// Terminal injection through the built CLI: notebooks and stores holding escape sequences (window
// title, clear screen, OSC 52 clipboard writes, CSI/C1 controls, bidi overrides, carriage returns)
// are recorded in a real kernel and shown by every verb. No output may carry a raw control
// character (newline and tab aside) or a bidi control; the hostile text must still be shown, escaped,
// and --json documents must stay valid JSON holding the exact original text.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createOutput } from '../../src/cli/output';
import { code, plain } from '../../src/extension/content/format';
import { ensureBuilt, nbprov, parseSingleJson, removeWorkspace, tempWorkspace, type CliResult } from '../cli/helpers';

const PAYLOADS: Record<string, string> = {
  title: '\x1b]0;PWNED-TITLE\x07',
  clear: '\x1b[2J\x1b[H',
  osc52: '\x1b]52;c;cHduZWQ=\x07',
  dcs: '\x1bP+q544e\x1b\\',
  csiC1: '\u009b31m',
  oscC1: '\u009d0;c1-title\u009c',
  nel: 'a\u0085b',
  bidi: '\u202eevil\u202c',
  isolate: '\u2066iso\u2069',
  cr: 'safe\rFAKE',
  bell: 'ring\x07',
  del: 'x\x7f',
  backspace: 'abc\x08\x08\x08XYZ',
};
const ALL = Object.values(PAYLOADS).join('|');
/** Without carriage returns and newlines: fits in a Python comment or a one-line literal. */
const INLINE = ALL.replace(/[\r\n]/g, '');

/** What must never reach a terminal: C0 but tab and newline, DEL, C1, bidi controls. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** How an escaped payload looks in human output (\x1b, \u009b) or in JSON (\u001b). */
const SHOWN_ESCAPED = /\\x1b|\\u009b|\\u202e|\\u001b/;

const stats = { invocations: 0, outputsChecked: 0, rawEscapes: 0 };

function assertNeutral(label: string, result: CliResult): void {
  stats.invocations++;
  for (const [stream, text] of [['stdout', result.stdout], ['stderr', result.stderr]] as const) {
    stats.outputsChecked++;
    const found = RAW_CONTROL.exec(text);
    if (found) stats.rawEscapes++;
    assert.equal(found, null, `${label}: raw U+${found?.[0].charCodeAt(0).toString(16).padStart(4, '0')} on ${stream}:\n${JSON.stringify(text.slice(Math.max(0, (found?.index ?? 0) - 80), (found?.index ?? 0) + 80))}`);
  }
  assert.ok(!result.stderr.includes('internal error'), `${label}: ${result.stderr}`);
}

/** Human output must show the hostile text escaped (not drop it). */
function assertShown(label: string, result: CliResult): void {
  assert.match(result.stdout + result.stderr, SHOWN_ESCAPED, `${label} did not show the hostile text:\n${result.stdout}\n${result.stderr}`);
}

const py = (text: string) => JSON.stringify(text); // JSON string escapes are valid Python escapes

let ws: string;
const NB = `hostile${PAYLOADS.title}.ipynb`;
let trialA = '';
let trialB = '';
let firstRun: CliResult;

function cell(id: string, source: string, count: number | null = null, tags: string[] = []) {
  return { id, cell_type: 'code', metadata: tags.length ? { tags } : {}, execution_count: count, outputs: [], source };
}

before(() => {
  ensureBuilt();
  ws = tempWorkspace('inject');
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' },
      language_info: { name: 'python' },
      nbprov: { variables: { hostile: `metric${ALL}`, echo: 'param', obj: `model${PAYLOADS.osc52}`, formula: 'metric' } },
    },
    cells: [
      cell(`p${PAYLOADS.clear}`, `# ${INLINE}\nhostile = ${py(ALL)}\nformula = '=HYPERLINK("http://evil.example","x")'`, 2, ['parameters', `stage:${INLINE}`]),
      cell('c1', `with open(${py(`out${INLINE}.txt`)}, 'w') as f:  # ${INLINE}\n    f.write('x')\necho = hostile + ${py(PAYLOADS.csiC1)}`, 1),
      cell(`c2${PAYLOADS.bidi}`, `class Hostile:\n    def __repr__(self):\n        return ${py(ALL)}\nobj = Hostile()  # ${INLINE}`, 3),
    ],
  };
  writeFileSync(path.join(ws, NB), JSON.stringify(notebook));
  writeFileSync(path.join(ws, 'fails.ipynb'), JSON.stringify({ ...notebook, metadata: { ...notebook.metadata, nbprov: {} }, cells: [cell('f0', `raise ValueError(${py(ALL)})`)] }));
  writeFileSync(path.join(ws, 'broken.ipynb'), `{"cells": [ ${INLINE} not json`);

  firstRun = nbprov(['run', NB, '--trial', `A${ALL}`, '--note', `note${ALL}`], ws, 180_000);
  assert.equal(firstRun.code, 0, firstRun.stderr);
  const saved = nbprov(['trial', 'save', NB, '--name', `B${ALL}`, '--json'], ws);
  assert.equal(saved.code, 0, saved.stderr);
  trialB = (parseSingleJson(saved.stdout) as { trial: { id: string } }).trial.id;
  const list = parseSingleJson(nbprov(['trials', '--json'], ws).stdout) as { trials: Array<{ id: string; name: string; note: string }> };
  trialA = list.trials[0].id;
  assert.equal(list.trials[0].name, `A${ALL}`, 'the store keeps the exact text');
});

after(() => {
  console.log(`terminal injection: ${Object.keys(PAYLOADS).length} payloads × ${stats.invocations} verb invocations; ${stats.outputsChecked} outputs checked; raw escapes that got through: ${stats.rawEscapes}`);
  removeWorkspace(ws);
});

describe('every verb shows hostile text escaped', () => {
  test('run: progress and summary', () => {
    assertNeutral('run', firstRun);
    assertShown('run', firstRun);
  });

  const human: Array<[string, () => string[]]> = [
    ['trials', () => ['trials']],
    ['trials NB', () => ['trials', NB]],
    ['trial show', () => ['trial', 'show', trialA]],
    ['diff --order', () => ['diff', trialA, trialB, '--order']],
    ['values', () => ['values', 'hostile']],
    ['values obj', () => ['values', 'obj']],
    ['values --csv', () => ['values', 'hostile', '--csv']],
    ['export csv', () => ['export', '--format', 'csv']],
    ['export json', () => ['export', '--format', 'json']],
    ['export prov-json', () => ['export', '--format', 'prov-json']],
    ['lineage', () => ['lineage', NB, 'echo']],
    ['lineage --operations', () => ['lineage', NB, 'echo', '--operations']],
    ['stale', () => ['stale', NB]],
    ['dependents', () => ['dependents', NB, '--cell', '0']],
    ['analyze', () => ['analyze', NB, '--operations']],
    ['tag (list)', () => ['tag', NB]],
    ['plot', () => ['plot', 'hostile', '--out', `chart${INLINE}.svg`]],
    ['trial rename', () => ['trial', 'rename', trialB, `B2${ALL}`]],
  ];
  for (const [label, args] of human) {
    test(label, () => {
      const result = nbprov(args(), ws, 120_000);
      assert.equal(result.code, 0, `${label}: ${result.stderr}`);
      assertNeutral(label, result);
      assertShown(label, result);
    });
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json: Array<[string, () => string[], (doc: any) => void]> = [
    ['trials --json', () => ['trials'], (doc) => assert.equal(doc.trials[0].note, `note${ALL}`)],
    ['trial show --json', () => ['trial', 'show', trialA], (doc) => assert.equal(doc.tagged.hostile.value, ALL)],
    ['values --json', () => ['values', 'hostile'], (doc) => assert.equal(doc.rows[0].value, ALL)],
    ['diff --json', () => ['diff', trialA, trialB], (doc) => assert.ok(Array.isArray(doc.common))],
    ['lineage --json', () => ['lineage', NB, 'echo', '--operations'], (doc) => assert.ok(doc.executions.some((e: { code: string }) => e.code.includes(INLINE)))],
    ['analyze --json', () => ['analyze', NB], (doc) => assert.equal(doc.cells[0].id, `p${PAYLOADS.clear}`)],
    ['stale --json', () => ['stale', NB], (doc) => assert.ok(Array.isArray(doc.stale))],
    ['dependents --json', () => ['dependents', NB, '--cell', '0'], (doc) => assert.ok(Array.isArray(doc.dependents))],
    ['tag --json', () => ['tag', NB], (doc) => assert.equal(doc.variables.hostile, `metric${ALL}`)],
  ];
  for (const [label, args, check] of json) {
    test(`${label}: valid JSON with the exact text`, () => {
      const result = nbprov([...args(), '--json'], ws, 120_000);
      assert.equal(result.code, 0, `${label}: ${result.stderr}`);
      assertNeutral(label, result);
      check(parseSingleJson(result.stdout));
    });
  }

  test('export json keeps the exact text as JSON escapes', () => {
    const result = nbprov(['export', '--format', 'json'], ws);
    assertNeutral('export json (parse)', result);
    const doc = parseSingleJson(result.stdout) as { trials: Array<{ name: string }> };
    assert.ok(doc.trials.some((t) => t.name === `A${ALL}`));
  });
});

describe('failures and errors show hostile text escaped', () => {
  test('run of a failing cell: progress, summary and error', () => {
    const result = nbprov(['run', 'fails.ipynb'], ws, 180_000);
    assert.equal(result.code, 1, result.stderr);
    assertNeutral('run (failure)', result);
    assert.match(result.stdout + result.stderr, /ValueError/);
    assertShown('run (failure)', result);
  });

  test('run --json of a failing cell', () => {
    const result = nbprov(['run', 'fails.ipynb', '--json'], ws, 180_000);
    assertNeutral('run --json (failure)', result);
    assert.equal((parseSingleJson(result.stdout) as { failure: { evalue: string } }).failure.evalue, ALL);
  });

  const errors: Array<[string, string[]]> = [
    ['JSON parse error excerpt', ['analyze', 'broken.ipynb']],
    ['unknown trial', ['trial', 'show', `x${ALL}`]],
    ['unknown variable', ['values', `v${ALL}`]],
    ['missing notebook', ['lineage', `gone${ALL}.ipynb`, 'x']],
    ['bad --param', ['run', NB, '--param', `p${ALL}`]],
    ['tag with a hostile role (refused, quoted escaped)', ['tag', NB, 'formula', `role${ALL}`]],
    ['tag with a hostile stage (refused, quoted escaped)', ['tag', NB, '--cell', '1', `stage${INLINE}`]],
  ];
  for (const [label, args] of errors) {
    test(label, () => {
      const result = nbprov(args, ws);
      assert.equal(result.code, 2, `${label}: ${result.stderr}`);
      assertNeutral(label, result);
      assertShown(label, result);
      assert.equal(result.stderr.trim().split('\n').length, 1, 'still one line');
    });
  }
});

describe('a newline in a trial name cannot fake a line of output', () => {
  test('trial show, trials, diff and run keep the name on one line', () => {
    const fake = 'nbprov: all trials verified';
    const renamed = nbprov(['trial', 'rename', trialB, `B\n${fake}\r\n${fake}`], ws);
    assert.equal(renamed.code, 0, renamed.stderr);
    for (const args of [['trial', 'show', trialB], ['trials'], ['diff', trialA, trialB], ['trial', 'rename', trialB, `B\n${fake}`]]) {
      const result = nbprov(args, ws);
      assert.equal(result.code, 0, result.stderr);
      assertNeutral(args.join(' '), result);
      const lines = (result.stdout + result.stderr).split('\n');
      assert.ok(!lines.some((l) => l.startsWith(fake)), `${args.join(' ')}:\n${result.stdout}`);
    }
  });
});

describe('the output boundary', () => {
  test('progress on a terminal is one escaped line; only nbprov writes its own controls', () => {
    const written: string[] = [];
    const sink = { isTTY: true, write: (chunk: string) => written.push(chunk) };
    const out = createOutput(false, sink as unknown as NodeJS.WritableStream, sink as unknown as NodeJS.WriteStream);
    out.progress(`[1/2] cell 0: ${ALL}\nsecond line\tafter tab`);
    out.note(`note ${ALL}`);
    out.line(`listing\n\tindented ${ALL}`);
    out.document({ text: ALL });
    const [progress, ...rest] = written;
    assert.ok(progress.startsWith('\r\x1b[K'), 'the redraw is nbprov\'s own control');
    assert.doesNotMatch(progress.slice(4), RAW_CONTROL);
    assert.ok(!progress.slice(4).includes('\n') && !progress.includes('\t'), 'progress stays one line');
    for (const chunk of rest.slice(1)) assert.doesNotMatch(chunk.replace(/^\r\x1b\[K/, ''), RAW_CONTROL);
    assert.ok(rest.some((c) => c.includes('\n\tindented')), 'listings keep their newlines and tabs');
    assert.equal(JSON.parse(rest.at(-1)!).text, ALL, 'the JSON document holds the exact text');
  });
});

describe('the editor\'s hover Markdown', () => {
  test('code spans and plain text cannot be ended by a control character, and carry none', () => {
    // A carriage return pair would end the paragraph, and with it the code span: the rest would be Markdown.
    const hostile = `x\r\r[run](command:nbprov.showLineage?%5B%5D) ${ALL} &#x202e;`;
    for (const markdown of [code(hostile), plain(hostile)]) {
      assert.doesNotMatch(markdown, RAW_CONTROL, markdown);
      assert.ok(!markdown.includes('\r'), 'no raw carriage return');
    }
    assert.ok(code(hostile).startsWith('`') && code(hostile).endsWith('`'), 'one code span');
    assert.ok(plain(hostile).includes('\\[run\\]'), 'link brackets escaped');
    assert.doesNotMatch(plain(hostile), /(?<!\\)&/, 'every & escaped: entities are not decoded');
  });
});
