// The fuzz and fault suite (issue 10): malformed notebooks and damaged stores through the built
// CLI's verbs, concurrent and killed saves, a full disk and an unwritable store. Every outcome is
// classified (see outcomes.ts) and the figures are printed as a table; every column but "cases
// tried" must be 0. The generator is seeded: NBPROV_FUZZ_SEED=<n> reproduces a run (the seed is
// printed). NBPROV_FUZZ_LONG=1 runs more cases, bigger inputs and every verb on every case;
// NBPROV_FUZZ_CASES=<n> sets the number of random notebooks (10 short, 300 long).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statfsSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt } from '../cli/helpers';
import { NB, readTrials, seedStore, storePath, taggedNotebookText, workspace } from './fixtures';
import { notebookCases, rng, type NotebookCase } from './generator';
import { addOutcome, classify, emptyFigures, figuresTable, runCli, startCli, type CliRun, type Figures } from './outcomes';

const LONG = process.env.NBPROV_FUZZ_LONG === '1';
const SEED = Number(process.env.NBPROV_FUZZ_SEED ?? 20261202);
const RANDOM_CASES = Number(process.env.NBPROV_FUZZ_CASES ?? (LONG ? 300 : 10));
const CONCURRENT = LONG ? 12 : 6;
const KILLED = LONG ? 24 : 6;

const sections: [string, Figures][] = [];
function section(name: string): { figures: Figures; problems: string[]; note(run: CliRun, names: readonly string[], label: string): CliRun } {
  const figures = emptyFigures();
  const problems: string[] = [];
  sections.push([name, figures]);
  return {
    figures,
    problems,
    note(run, names, label) {
      const { outcome, why } = classify(run, names);
      addOutcome(figures, outcome);
      if (outcome !== 'ok') problems.push(`${outcome}: ${label}: nbprov ${run.args.join(' ')} → ${why}`);
      return run;
    },
  };
}

const report = (problems: string[]) => `seed ${SEED}; reproduce with NBPROV_FUZZ_SEED=${SEED}${LONG ? ' NBPROV_FUZZ_LONG=1' : ''}:\n${problems.slice(0, 30).join('\n')}`;
const scratch: string[] = [];

before(() => {
  ensureBuilt();
  console.log(`hardening suite: seed ${SEED} (NBPROV_FUZZ_SEED), ${LONG ? 'long' : 'short'} variant (NBPROV_FUZZ_LONG=1 for the long one)`);
});
after(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

// ── malformed notebooks through every verb that reads a notebook ─────────────────────────────

/** The verbs reading a notebook; `run` targets a closed port, so a notebook that loads fails at connecting (no kernel). */
const READ_VERBS: string[][] = [['analyze', NB, '--json'], ['lineage', NB, 'y'], ['dependents', NB, '--cell', '1'], ['stale', NB], ['tag', NB], ['run', NB, '--server', 'http://127.0.0.1:4', '--no-trial']];
const WRITE_VERB = ['tag', NB, 'y', 'metric'];

/**
 * What a tag write must leave: the file as it was but for one edited region holding the new tag
 * (compared as bytes, so big integers, escapes and layout count; no recursion, since these
 * documents can be nested 10,000 deep).
 */
function checkTagWrite(before: Buffer, after: Buffer): string | null {
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < before.length - prefix && suffix < after.length - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  const removed = before.subarray(prefix, before.length - suffix).toString('utf8');
  const inserted = after.subarray(prefix, after.length - suffix).toString('utf8');
  if (!/"y"\s*:\s*"metric"/.test(inserted) && !/"metric"/.test(inserted)) return `the edit does not hold the tag: ${JSON.stringify(inserted.slice(0, 120))}`;
  // Only an old nbprov value (of the wrong type) may be replaced, never other content.
  if (removed.length > 200 || /"cells"|"source"|"nbformat"/.test(removed)) return `the edit replaced more than the tag: ${JSON.stringify(removed.slice(0, 120))}`;
  return null;
}

function kindOf(file: string): string {
  try {
    const st = lstatSync(file);
    return st.isSymbolicLink() ? 'symlink' : st.isFIFO() ? 'fifo' : st.isDirectory() ? 'directory' : st.isFile() ? `file:${st.size}` : 'other';
  } catch {
    return 'missing';
  }
}

describe('malformed notebooks', () => {
  const s = section('malformed notebooks');
  const cases = notebookCases(SEED, RANDOM_CASES, { huge: LONG });

  test(`${cases.length} generated notebooks (seed ${SEED}) through ${LONG ? 'every verb' : 'two reading verbs each, in turn, and tag'}`, () => {
    cases.forEach((c: NotebookCase, i) => {
      const ws = workspace('nb');
      scratch.push(ws);
      const file = path.join(ws, NB);
      if ('bytes' in c) {
        writeFileSync(file, c.bytes);
        chmodSync(file, 0o600);
      } else {
        c.make(file);
      }
      const kind = kindOf(file);
      const verbs = LONG ? READ_VERBS : [READ_VERBS[i % READ_VERBS.length], READ_VERBS[(i + 3) % READ_VERBS.length]];
      for (const args of verbs) s.note(runCli(args, ws), [NB, 'cell', 'notebook'], c.name);
      if ('bytes' in c && !readFileSync(file).equals(c.bytes)) {
        s.figures.filesDamaged++;
        s.problems.push(`damaged: ${c.name}: a reading verb changed the notebook`);
      }
      const write = s.note(runCli(WRITE_VERB, ws), [NB, 'cell', 'notebook'], c.name);
      let damage: string | null = null;
      if ('bytes' in c) {
        const now = readFileSync(file);
        if (write.code !== 0 && !now.equals(c.bytes)) damage = 'a refused tag changed the file';
        if (write.code === 0) damage = checkTagWrite(c.bytes, now);
        if ((statSync(file).mode & 0o777) !== 0o600) damage = `mode changed to ${(statSync(file).mode & 0o777).toString(8)}`;
      } else if (kindOf(file) !== kind) {
        damage = `the ${kind} became ${kindOf(file)}`;
      }
      const strays = readdirSync(ws).filter((f) => f.includes('nbprov-'));
      if (strays.length) damage = `left ${strays.join(', ')}`;
      if (damage) {
        s.figures.filesDamaged++;
        s.problems.push(`damaged: ${c.name}: ${damage}`);
      }
    });
    assert.deepEqual(s.problems, [], report(s.problems));
  });
});

// ── damaged stores through the verbs that read one ───────────────────────────────────────────

describe('damaged stores', () => {
  const s = section('damaged stores');
  const STORE_VERBS: string[][] = [['trials'], ['trial', 'show', 't0'], ['diff', 't0', 't1'], ['values', 'y', '--csv'], ['plot', 'y', '--out', 'p.svg'], ['export', '--format', 'prov-json'], ['trial', 'save', NB, '--name', 'new']];

  test('garbage, truncated, foreign and special files in place of the store', async () => {
    const good = workspace('store-good');
    scratch.push(good);
    await seedStore(good, 2);
    const valid = readFileSync(storePath(good));
    const damage: [string, (file: string) => void][] = [
      ['valid', (f) => writeFileSync(f, valid)],
      ['zero-bytes', (f) => writeFileSync(f, '')],
      ['garbage', (f) => writeFileSync(f, 'not a database at all\n')],
      ['truncated', (f) => writeFileSync(f, valid.subarray(0, Math.floor(valid.length / 2)))],
      ['header-then-garbage', (f) => writeFileSync(f, Buffer.concat([valid.subarray(0, 100), Buffer.alloc(4096, 0x5a)]))],
      ['page-overwritten', (f) => writeFileSync(f, Buffer.concat([valid.subarray(0, 4096), Buffer.alloc(4096, 0xa5), valid.subarray(8192)]))],
      ['directory', (f) => mkdirSync(f)],
      ['fifo', (f) => assert.equal(spawnSync('mkfifo', [f]).status, 0)],
      ['dev-zero-symlink', (f) => spawnSync('ln', ['-s', '/dev/zero', f])],
    ];
    const r = rng(SEED);
    for (const [name, make] of damage) {
      // Short variant: one reading verb (seeded) and the writing one per damage; long: every verb.
      const verbs = LONG ? STORE_VERBS : [r.pick(STORE_VERBS.slice(0, -1)), STORE_VERBS[STORE_VERBS.length - 1]];
      for (const args of verbs) {
        const ws = workspace(`store-${name}`);
        scratch.push(ws);
        writeFileSync(path.join(ws, NB), taggedNotebookText());
        const file = storePath(ws);
        make(file);
        const original = existsSync(file) && statSync(file).isFile() ? readFileSync(file) : null;
        const run = s.note(runCli(args, ws), ['store', NB, 't0', 't1', 'y'], `store ${name}`);
        // The store's records never go: a corrupt file is moved aside (bytes intact), a good one keeps its trials.
        if (original && original.length > 0) {
          const kept = readdirSync(path.join(ws, '.nbprov')).some((f) => readFileSync(path.join(ws, '.nbprov', f)).equals(original));
          const grown = name === 'valid' && (await readTrials(ws)).ids.size >= 2;
          if (!kept && !grown) {
            s.figures.recordsLost++;
            s.problems.push(`records lost: store ${name}: nbprov ${args.join(' ')} left no copy of the store's bytes`);
          }
        }
        if (name === 'valid' && run.code !== 0) s.problems.push(`store valid: nbprov ${args.join(' ')} failed: ${run.stderr.trim()}`);
      }
    }
    assert.deepEqual(s.problems, [], report(s.problems));
  });
});

// ── concurrent and killed saves ──────────────────────────────────────────────────────────────

describe('concurrent and killed saves', () => {
  const s = section('concurrent & killed saves');

  test(`${CONCURRENT} processes saving trials at once, then ${KILLED} killed at seeded moments: no acknowledged trial lost, no corrupt store`, async () => {
    const ws = workspace('concurrent');
    scratch.push(ws);
    const seeded = await seedStore(ws, 1);
    const acknowledged = new Set<string>(seeded);
    const idOf = (run: CliRun) => (JSON.parse(run.stdout) as { trial: { id: string } }).trial.id;

    const together = Array.from({ length: CONCURRENT }, (_, i) => startCli(['trial', 'save', NB, '--name', `c${i}`, '--json'], ws));
    for (const run of await Promise.all(together.map((p) => p.done))) {
      s.note(run, ['store', NB], 'concurrent save');
      if (run.code === 0) acknowledged.add(idOf(run));
    }

    // Each process's fate is seeded: killed while it holds the lock, killed while its temp file is
    // being written, killed at a seeded moment, or left alone. Watching the store's directory
    // catches the first two mid-save whatever the machine's speed.
    const r = rng(SEED + 1);
    const dir = path.join(ws, '.nbprov');
    const fates = Array.from({ length: KILLED }, () => r.pick(['at-lock', 'at-temp', 'at-moment', 'live'] as const));
    const children = fates.map((fate, i) => ({ fate, ...startCli(['trial', 'save', NB, '--name', `k${i}`, '--json'], ws) }));
    const byPid = new Map(children.map((c) => [c.child.pid, c]));
    const kill = (pid: number | undefined) => byPid.get(pid)?.child.kill('SIGKILL');
    const watcher = setInterval(() => {
      let names: string[] = [];
      try {
        names = readdirSync(dir);
      } catch {
        return;
      }
      for (const name of names) {
        const temp = /^store\.sqlite\.tmp-(\d+)-/.exec(name);
        if (temp && byPid.get(Number(temp[1]))?.fate === 'at-temp') kill(Number(temp[1]));
      }
      if (names.includes('store.sqlite.lock')) {
        try {
          const owner = JSON.parse(readFileSync(path.join(dir, 'store.sqlite.lock'), 'utf8')) as { pid: number };
          if (byPid.get(owner.pid)?.fate === 'at-lock') kill(owner.pid);
        } catch {
          // released meanwhile
        }
      }
    }, 2);
    const timers = children.filter((c) => c.fate === 'at-moment').map((c) => setTimeout(() => c.child.kill('SIGKILL'), 200 + r.int(1500)));
    const killed = await Promise.all(children.map((c) => c.done));
    clearInterval(watcher);
    timers.forEach(clearTimeout);
    let killedCount = 0;
    for (const run of killed) {
      if (run.signal === 'SIGKILL') {
        killedCount++;
        s.figures.tried++;
        continue;
      }
      s.note(run, ['store', NB], 'save raced by kills');
      if (run.code === 0) acknowledged.add(idOf(run));
    }
    console.log(`killed saves: fates ${fates.join(', ')}; ${killedCount} killed`);

    // After the kills: the next save goes through (no lock or temp file blocks it) and cleans up.
    const next = s.note(runCli(['trial', 'save', NB, '--name', 'after', '--json'], ws), ['store', NB], 'save after kills');
    if (next.code === 0) acknowledged.add(idOf(next));
    else s.problems.push(`the save after the kills failed: ${next.stderr.trim()}`);

    const { ids, corrupt } = await readTrials(ws);
    const lost = [...acknowledged].filter((id) => !ids.has(id));
    s.figures.recordsLost += lost.length;
    if (lost.length) s.problems.push(`records lost: acknowledged trials missing: ${lost.join(', ')}`);
    if (corrupt) {
      s.figures.recordsLost++;
      s.problems.push('the store was corrupt after the kills');
    }
    const leftovers = readdirSync(path.join(ws, '.nbprov')).filter((f) => f !== 'store.sqlite');
    if (leftovers.length) s.problems.push(`left in .nbprov after the next save: ${leftovers.join(', ')}`);
    console.log(`concurrent & killed saves: ${acknowledged.size - seeded.length} trials acknowledged, ${ids.size - seeded.length} in the store`);
    assert.deepEqual(s.problems, [], report(s.problems));
  });
});

// ── an unwritable store or output: refused before the first cell runs ────────────────────────

describe('unwritable store or output', () => {
  const s = section('unwritable store/output');

  test('a file in place of .nbprov, or --output in a missing folder: nothing runs, one clear line', () => {
    const cases: [string, (ws: string) => void, string[]][] = [
      ['a file where .nbprov should be', (ws) => {
        rmSync(path.join(ws, '.nbprov'), { recursive: true });
        writeFileSync(path.join(ws, '.nbprov'), 'in the way');
      }, ['run', NB, '--workspace', '.']],
      ['--output in a missing folder', () => undefined, ['run', NB, '--output', 'missing/out.ipynb']],
      ['--output is a directory', (ws) => mkdirSync(path.join(ws, 'outdir')), ['run', NB, '--output', 'outdir']],
      ['--output is a symlink to the notebook', (ws) => symlinkSync(NB, path.join(ws, 'out.ipynb')), ['run', NB, '--output', 'out.ipynb']],
    ];
    for (const [name, prepare, args] of cases) {
      const ws = workspace('unwritable');
      scratch.push(ws);
      // The first cell leaves a mark: a refused run must not have run it.
      writeFileSync(path.join(ws, NB), taggedNotebookText().replace('n = 3\\n', "n = 3; open('ran-a-cell', 'w').close()\\n"));
      prepare(ws);
      const run = s.note(runCli(args, ws), ['store', '.nbprov', 'out', 'output'], name);
      if (run.code === 0) s.problems.push(`${name}: the run succeeded`);
      if (existsSync(path.join(ws, 'ran-a-cell'))) s.problems.push(`${name}: a cell ran before the refusal`);
    }
    assert.deepEqual(s.problems, [], report(s.problems));
  });
});

// ── a full disk (a small tmpfs) ──────────────────────────────────────────────────────────────

describe('a full disk', () => {
  const s = section('disk full');
  const mountPoint = path.join(os.tmpdir(), `nbprov-hardening-full-${process.pid}`);
  let mounted = false;
  let skipReason = '';
  before(() => {
    if (process.platform !== 'linux') skipReason = 'tmpfs mounts need Linux';
    else {
      mkdirSync(mountPoint, { recursive: true });
      const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint], { encoding: 'utf8' });
      mounted = m.status === 0;
      if (!mounted) skipReason = `cannot mount a tmpfs here (${(m.stderr || m.error?.message || 'not permitted').trim()})`;
    }
    if (skipReason) console.log(`disk-full cases skipped: ${skipReason}`);
  });
  after(() => {
    if (mounted) spawnSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  const free = () => statfsSync(mountPoint).bavail * statfsSync(mountPoint).bsize;
  function fill(): void {
    for (let i = 0; free() > 0; i++) {
      try {
        writeFileSync(path.join(mountPoint, `filler-${i}`), Buffer.alloc(Math.max(512, Math.min(free(), 256 * 1024))));
      } catch {
        break;
      }
    }
  }
  const unfill = () => readdirSync(mountPoint).filter((f) => f.startsWith('filler-')).forEach((f) => rmSync(path.join(mountPoint, f)));
  const strays = (dir: string) => readdirSync(dir).filter((f) => f.includes('nbprov-') || f.includes('.tmp-') || f.endsWith('.lock'));

  test('saves, tags and --out files on a full disk fail cleanly, and work again once space returns', async (t) => {
    if (!mounted) return t.skip(skipReason || 'no tmpfs');
    const ws = path.join(mountPoint, 'ws');
    mkdirSync(path.join(ws, '.nbprov'), { recursive: true });
    const seeded = await seedStore(ws, 2);
    const notebook = readFileSync(path.join(ws, NB));
    fill();
    const names = ['space', 'ENOSPC'];

    const save = s.note(runCli(['trial', 'save', NB, '--name', 'full'], ws), names, 'trial save on a full disk');
    if (save.code === 0) s.problems.push('trial save on a full disk exited 0');
    const tag = s.note(runCli(['tag', NB, 'x', 'param'], ws), names, 'tag on a full disk');
    if (tag.code === 0) s.problems.push('tag on a full disk exited 0');
    if (!readFileSync(path.join(ws, NB)).equals(notebook)) {
      s.figures.filesDamaged++;
      s.problems.push('tag on a full disk changed the notebook');
    }
    for (const args of [['export', '--out', 'e.json'], ['plot', 'y', '--out', 'p.svg']]) {
      const run = s.note(runCli(args, ws), names, `${args[0]} --out on a full disk`);
      if (run.code === 0) s.problems.push(`${args[0]} on a full disk exited 0`);
      if (existsSync(path.join(ws, args[args.length - 1]))) {
        s.figures.filesDamaged++;
        s.problems.push(`${args[0]} on a full disk left ${args[args.length - 1]}`);
      }
    }
    const run = s.note(runCli(['run', NB, '--server', 'http://127.0.0.1:4'], ws), names, 'run on a full disk');
    if (!/nothing was run/.test(run.stderr)) s.problems.push(`run on a full disk was not refused before its first cell: ${run.stderr.trim()}`);
    const left = [...strays(ws), ...strays(path.join(ws, '.nbprov'))];
    if (left.length) s.problems.push(`a full disk left ${left.join(', ')}`);

    unfill();
    const again = s.note(runCli(['trial', 'save', NB, '--name', 'space-back', '--json'], ws), names, 'trial save once space returned');
    if (again.code !== 0) s.problems.push(`the save after space returned failed: ${again.stderr.trim()}`);
    const { ids, corrupt } = await readTrials(ws);
    const lost = seeded.filter((id) => !ids.has(id));
    s.figures.recordsLost += lost.length + (corrupt ? 1 : 0);
    if (lost.length || corrupt) s.problems.push(`after the full disk: lost ${lost.join(', ')}${corrupt ? ', store corrupt' : ''}`);
    if (ids.size !== seeded.length + 1) s.problems.push(`expected ${seeded.length + 1} trials after space returned, found ${ids.size}`);
    assert.deepEqual(s.problems, [], report(s.problems));
  });

  test('a run whose cell fills the disk exits non-zero with the reason; the next run, with space back, saves its trial', (t) => {
    if (!mounted) return t.skip(skipReason || 'no tmpfs');
    const ws = path.join(mountPoint, 'run');
    mkdirSync(path.join(ws, '.nbprov'), { recursive: true });
    const fillCode = "try:\\n    with open('filler-cell', 'wb') as f:\\n        f.write(bytes(4 << 20))\\nexcept OSError:\\n    pass\\n";
    writeFileSync(path.join(ws, NB), taggedNotebookText().replace('n = 3\\n', `n = 3\\n${fillCode}`));
    const full = s.note(runCli(['run', NB], ws), ['space', 'ENOSPC'], 'run filling the disk');
    if (full.code === 0) s.problems.push(`a run that could not save exited 0: ${full.stdout}`);
    rmSync(path.join(ws, 'filler-cell'), { force: true });
    writeFileSync(path.join(ws, NB), taggedNotebookText());
    const ok = s.note(runCli(['run', NB, '--json'], ws), ['space'], 'run with space back');
    if (ok.code !== 0) s.problems.push(`the run after space returned failed: ${ok.stderr.trim()}`);
    else if (!(JSON.parse(ok.stdout) as { trial: unknown }).trial) s.problems.push('the run after space returned saved no trial');
    const left = strays(path.join(ws, '.nbprov'));
    if (left.length) s.problems.push(`left in .nbprov: ${left.join(', ')}`);
    assert.deepEqual(s.problems, [], report(s.problems));
  });
});

// ── the figures ──────────────────────────────────────────────────────────────────────────────

test('figures: 0 crashes, hangs, records lost, unclear messages and damaged files', () => {
  console.log(`\nhardening figures (seed ${SEED}, ${LONG ? 'long' : 'short'} variant):\n${figuresTable(sections)}\n`);
  const total = emptyFigures();
  for (const [, f] of sections) for (const k of Object.keys(total) as (keyof Figures)[]) total[k] += f[k];
  assert.ok(total.tried > 0, 'no case was tried');
  assert.deepEqual({ crashes: total.crashes, hangs: total.hangs, recordsLost: total.recordsLost, unclear: total.unclear, filesDamaged: total.filesDamaged }, { crashes: 0, hangs: 0, recordsLost: 0, unclear: 0, filesDamaged: 0 });
});
