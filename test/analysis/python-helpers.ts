/** Shared analyzer instance and exact-facts assertions for the Python analysis tests. */
import assert from 'node:assert/strict';
import type { CellFacts } from '../../src/core/analysis/facts';
import { createPythonAnalyzer, type PythonAnalyzer } from '../../src/core/analysis/python';

let shared: Promise<PythonAnalyzer> | undefined;
export function analyzer(): Promise<PythonAnalyzer> {
  shared ??= createPythonAnalyzer();
  return shared;
}

export interface NameCase {
  name: string;
  code: string;
  defines?: string[];
  uses?: string[];
  mutates?: string[];
  builtinUses?: string[];
  deletes?: string[];
}

/** Every name list must match exactly; lists the case leaves out must be empty. */
export function assertNames(facts: CellFacts, expected: NameCase): void {
  const actual = {
    defines: facts.defines,
    uses: facts.uses,
    mutates: facts.mutates,
    builtinUses: facts.builtinUses,
    deletes: facts.deletes,
  };
  const wanted = {
    defines: expected.defines ?? [],
    uses: expected.uses ?? [],
    mutates: expected.mutates ?? [],
    builtinUses: expected.builtinUses ?? [],
    deletes: expected.deletes ?? [],
  };
  assert.deepEqual(actual, wanted);
  assert.deepEqual(facts.diagnostics.filter((d) => d.severity === 'error'), [], 'valid code yields no error diagnostics');
}

export function src(lines: string[]): string {
  return lines.join('\n');
}
