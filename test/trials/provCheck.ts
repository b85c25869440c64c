/** Checks of a PROV-JSON document: structural (in Node) and by loading it with Debian's python3-prov. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProvDocument } from '../../src/core/trials/exportProv';

const ENDPOINTS: Record<string, string[]> = {
  used: ['prov:activity', 'prov:entity'],
  wasGeneratedBy: ['prov:entity', 'prov:activity'],
  wasDerivedFrom: ['prov:generatedEntity', 'prov:usedEntity'],
  wasAssociatedWith: ['prov:activity', 'prov:agent'],
  hadMember: ['prov:collection', 'prov:entity'],
};

/** Problems found: a relation whose endpoint is not declared, a relation repeated, an entity generated twice. */
export function checkProvDocument(doc: ProvDocument): string[] {
  const declared = new Set([...Object.keys(doc.entity), ...Object.keys(doc.activity), ...Object.keys(doc.agent)]);
  const problems: string[] = [];
  for (const [kind, keys] of Object.entries(ENDPOINTS)) {
    const seen = new Set<string>();
    for (const [id, relation] of Object.entries(doc[kind as keyof ProvDocument] as Record<string, Record<string, unknown>>)) {
      if (!id.startsWith('_:')) problems.push(`${kind} ${id} is not a blank node`);
      const ends = keys.map((k) => String(relation[k]));
      for (const end of ends) if (!declared.has(end)) problems.push(`${kind} ${id} refers to undeclared ${end}`);
      const key = kind === 'wasGeneratedBy' ? ends[0] : ends.join(' ');
      if (seen.has(key)) problems.push(`${kind} repeated for ${key}`);
      seen.add(key);
    }
  }
  return problems;
}

const SCRIPT = `
import json, sys
from collections import Counter
from prov.model import ProvDocument
doc = ProvDocument.deserialize(content=open(sys.argv[1], encoding='utf-8').read(), format='json')
print(json.dumps(Counter(type(r).__name__ for r in doc.get_records())))
`;

/** Loads the document with /usr/bin/python3's `prov` (Debian python3-prov) and counts its records by class. */
export function loadWithPythonProv(doc: ProvDocument): Record<string, number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbprov-prov-'));
  try {
    const file = path.join(dir, 'prov.json');
    writeFileSync(file, JSON.stringify(doc));
    const result = spawnSync('/usr/bin/python3', ['-c', SCRIPT, file], { encoding: 'utf8' });
    assert.equal(result.status, 0, `python3-prov could not load the export (install it: apt-get install -y python3-prov):\n${result.stderr}`);
    return JSON.parse(result.stdout) as Record<string, number>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
