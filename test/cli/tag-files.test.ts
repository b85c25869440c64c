// `nbprov tag` keeps the notebook file what it was: through a symlink (the link stays a link), with
// its hard links, mode and owner, changing no byte it does not mean to; invalid UTF-8 and special
// files are refused with one line and the file untouched.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, statfsSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FRAUD_NOTEBOOK, REAL_FIXTURES, assertUsageError, ensureBuilt, nbprov, nbprovJson, removeWorkspace, tempWorkspace } from './helpers';

let ws: string;

before(() => {
  ensureBuilt();
  ws = tempWorkspace('tagfiles');
});
after(() => removeWorkspace(ws));

const file = (name: string) => path.join(ws, name);
const strayFiles = () => readdirSync(ws).filter((f) => /nbprov-.*\.(tmp|backup)|nbprov-backup/.test(f));

describe('tag keeps the file', () => {
  test('real notebooks: a stage tag added then removed gives back the same bytes, and a variable tag is one insertion', () => {
    const notebooks = [...readdirSync(REAL_FIXTURES).filter((f) => f.endsWith('.ipynb')).map((f) => path.join(REAL_FIXTURES, f)), FRAUD_NOTEBOOK];
    for (const source of notebooks) {
      const name = path.basename(source);
      copyFileSync(source, file(name));
      const original = readFileSync(file(name));
      const cell = JSON.parse(original.toString('utf8')).cells.findIndex((c: { cell_type: string; metadata: { tags?: string[] } }) => c.cell_type === 'code' && !(c.metadata.tags ?? []).some((t) => t.startsWith('stage:')));
      assert.equal(nbprovJson(['tag', name, '--cell', String(cell), 'evaluation'], ws).changed, true);
      assert.notDeepEqual(readFileSync(file(name)), original);
      nbprovJson(['tag', name, '--cell', String(cell), '--remove'], ws);
      assert.deepEqual(readFileSync(file(name)), original, `${name}: bytes after tag + untag`);

      nbprovJson(['tag', name, 'zz_seed', 'param', '--force'], ws);
      const tagged = readFileSync(file(name), 'utf8');
      const text = original.toString('utf8');
      let prefix = 0;
      while (text[prefix] === tagged[prefix]) prefix++;
      assert.ok(tagged.endsWith(text.slice(prefix)), `${name}: the variable tag is a pure insertion`);
    }
    assert.deepEqual(strayFiles(), []);
  });

  test('through a symlink: the link stays a link and the real file is edited', () => {
    copyFileSync(FRAUD_NOTEBOOK, file('real.ipynb'));
    symlinkSync('real.ipynb', file('link.ipynb'));
    nbprovJson(['tag', 'link.ipynb', 'seed', 'param'], ws);
    assert.ok(lstatSync(file('link.ipynb')).isSymbolicLink());
    assert.equal(readlinkSync(file('link.ipynb')), 'real.ipynb');
    assert.equal(JSON.parse(readFileSync(file('real.ipynb'), 'utf8')).metadata.nbprov.variables.seed, 'param');
  });

  test('hard links stay linked: every name sees the change, the inode is the same', () => {
    copyFileSync(FRAUD_NOTEBOOK, file('hard-a.ipynb'));
    linkSync(file('hard-a.ipynb'), file('hard-b.ipynb'));
    const inode = statSync(file('hard-a.ipynb')).ino;
    nbprovJson(['tag', 'hard-a.ipynb', 'seed', 'param'], ws);
    nbprovJson(['tag', 'hard-a.ipynb', '--cell', '4', 'cleaning'], ws);
    assert.equal(statSync(file('hard-a.ipynb')).ino, inode);
    assert.equal(statSync(file('hard-b.ipynb')).nlink, 2);
    const b = JSON.parse(readFileSync(file('hard-b.ipynb'), 'utf8'));
    assert.equal(b.metadata.nbprov.variables.seed, 'param');
    assert.deepEqual(b.cells[4].metadata.tags, ['stage:cleaning']);
    // A shorter result (removing tags) truncates in place.
    nbprovJson(['tag', 'hard-a.ipynb', '--cell', '4', '--remove'], ws);
    nbprovJson(['tag', 'hard-a.ipynb', 'seed', '--remove'], ws);
    const expected = JSON.parse(readFileSync(FRAUD_NOTEBOOK, 'utf8'));
    delete expected.cells[4].metadata.tags;
    // Parsing fails if the in-place write left bytes of the longer version behind.
    assert.deepEqual(JSON.parse(readFileSync(file('hard-b.ipynb'), 'utf8')), expected);
    assert.deepEqual(strayFiles(), []);
  });

  test('the mode is kept (0600 and 0640)', () => {
    for (const mode of [0o600, 0o640]) {
      const name = `mode-${mode.toString(8)}.ipynb`;
      copyFileSync(FRAUD_NOTEBOOK, file(name));
      chmodSync(file(name), mode);
      nbprovJson(['tag', name, 'seed', 'param'], ws);
      assert.equal(statSync(file(name)).mode & 0o7777, mode);
    }
  });

  test('the owner is kept', { skip: process.getuid?.() !== 0 ? 'needs root to give the file another owner' : false }, () => {
    copyFileSync(FRAUD_NOTEBOOK, file('owned.ipynb'));
    chownSync(file('owned.ipynb'), 4321, 4321);
    nbprovJson(['tag', 'owned.ipynb', 'seed', 'param'], ws);
    const st = statSync(file('owned.ipynb'));
    assert.deepEqual([st.uid, st.gid], [4321, 4321]);
  });

  describe('as another user', { skip: process.getuid?.() !== 0 ? 'needs root to run nbprov as nobody' : false }, () => {
    const asNobody = (args: string[], cwd: string) => {
      const result = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, path.join(__dirname, '..', '..', 'bin', 'nbprov.js'), ...args], { cwd, encoding: 'utf8' });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr, ms: 0 };
    };

    test('a read-only notebook is refused, even where its folder would allow replacing it', () => {
      chmodSync(ws, 0o755); // mkdtemp made it private to root
      const dir = path.join(ws, 'nobody-ro');
      mkdirSync(dir);
      copyFileSync(FRAUD_NOTEBOOK, path.join(dir, 'ro.ipynb'));
      chownSync(dir, 65534, 65534);
      chownSync(path.join(dir, 'ro.ipynb'), 65534, 65534);
      chmodSync(path.join(dir, 'ro.ipynb'), 0o444);
      assertUsageError(asNobody(['tag', 'ro.ipynb', 'seed', 'param', '--json'], dir), /cannot write ro\.ipynb \(EACCES\): it is read-only/);
      assert.deepEqual(readFileSync(path.join(dir, 'ro.ipynb')), readFileSync(FRAUD_NOTEBOOK));
    });

    test('a writable notebook in a folder the user cannot write to is edited in place', () => {
      chmodSync(ws, 0o755);
      const dir = path.join(ws, 'nobody-rw');
      mkdirSync(dir, { mode: 0o755 });
      copyFileSync(FRAUD_NOTEBOOK, path.join(dir, 'rw.ipynb'));
      chownSync(path.join(dir, 'rw.ipynb'), 65534, 65534);
      const inode = statSync(path.join(dir, 'rw.ipynb')).ino;
      const result = asNobody(['tag', 'rw.ipynb', 'seed', 'param', '--json'], dir);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(JSON.parse(readFileSync(path.join(dir, 'rw.ipynb'), 'utf8')).metadata.nbprov.variables.seed, 'param');
      assert.equal(statSync(path.join(dir, 'rw.ipynb')).ino, inode);
      assert.deepEqual(readdirSync(dir), ['rw.ipynb']);
    });
  });

  test('integers above 2^53 are kept exactly', () => {
    const text = readFileSync(FRAUD_NOTEBOOK, 'utf8').replace('"metadata": {\n  "kernelspec"', '"metadata": {\n  "big": 123456789012345678901234567890,\n  "kernelspec"');
    assert.ok(text.includes('123456789012345678901234567890'));
    writeFileSync(file('big.ipynb'), text);
    nbprovJson(['tag', 'big.ipynb', 'seed', 'param'], ws);
    assert.ok(readFileSync(file('big.ipynb'), 'utf8').includes('"big": 123456789012345678901234567890,'));
  });

  test('invalid UTF-8 is refused with one line, and the file is left as it was', () => {
    const bytes = Buffer.concat([Buffer.from(readFileSync(FRAUD_NOTEBOOK, 'utf8').replace('Fraud detection experiment', 'Fraud XX'), 'utf8')]);
    const at = bytes.indexOf('XX');
    bytes[at] = 0xff;
    bytes[at + 1] = 0xfe;
    writeFileSync(file('latin.ipynb'), bytes);
    const line = assertUsageError(nbprov(['tag', 'latin.ipynb', 'seed', 'param', '--json'], ws), /latin\.ipynb.*not valid UTF-8.*offset/);
    assert.match(line, new RegExp(`offset ${at}\\b`));
    assert.deepEqual(readFileSync(file('latin.ipynb')), bytes);
  });

  test('a FIFO is refused at once instead of blocking', () => {
    assert.equal(spawnSync('mkfifo', [file('pipe.ipynb')]).status, 0);
    assertUsageError(nbprov(['tag', 'pipe.ipynb', 'seed', 'param', '--json'], ws, 30_000), /pipe\.ipynb.*not a regular file/);
    assertUsageError(nbprov(['analyze', 'pipe.ipynb', '--json'], ws, 30_000), /pipe\.ipynb.*not a regular file/);
  });
});

describe('tag on a full disk', () => {
  const mountPoint = path.join(os.tmpdir(), `nbprov-full-${process.pid}`);
  const mounted = (() => {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
    mkdirSync(mountPoint, { recursive: true });
    return spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint]).status === 0;
  })();
  after(() => {
    if (mounted) spawnSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  /** Fills the (emptied) file system until fewer than `room` bytes are free. */
  function fill(room: number): void {
    const free = () => statfsSync(mountPoint).bavail * statfsSync(mountPoint).bsize;
    let i = 0;
    while (free() >= room) {
      try {
        writeFileSync(path.join(mountPoint, `filler-${i++}`), Buffer.alloc(Math.max(1024, Math.min(free() - room + 4096, 65536))));
      } catch {
        break;
      }
    }
  }

  test('no space for the new file: one line, the notebook unchanged, no temporary file left', { skip: mounted ? false : 'needs root and a tmpfs mount to fill a disk' }, () => {
    for (const f of readdirSync(mountPoint)) rmSync(path.join(mountPoint, f), { recursive: true });
    mkdirSync(path.join(mountPoint, '.nbprov'), { recursive: true });
    copyFileSync(FRAUD_NOTEBOOK, path.join(mountPoint, 'full.ipynb'));
    const original = readFileSync(path.join(mountPoint, 'full.ipynb'));
    fill(original.length / 2);
    assertUsageError(nbprov(['tag', 'full.ipynb', 'seed', 'param', '--json'], mountPoint), /cannot write full\.ipynb \(no space left on the device, ENOSPC\); it is unchanged — free some space/);
    assert.deepEqual(readFileSync(path.join(mountPoint, 'full.ipynb')), original);
    assert.deepEqual(readdirSync(mountPoint).filter((f) => f.includes('nbprov-')), []);
  });

  test('hard links on a full disk: the in-place write fails cleanly and the original is restored', { skip: mounted ? false : 'needs root and a tmpfs mount to fill a disk' }, () => {
    // Just under one 4 KiB page, so the tagged file needs a page the full disk does not have.
    for (const f of readdirSync(mountPoint)) rmSync(path.join(mountPoint, f), { recursive: true });
    mkdirSync(path.join(mountPoint, '.nbprov'), { recursive: true });
    const text = readFileSync(FRAUD_NOTEBOOK, 'utf8');
    const padded = text.replace('"metadata": {\n', `"metadata": {\n  "pad": "${'p'.repeat(4090 - Buffer.byteLength(text) - 12)}",\n`);
    assert.ok(Buffer.byteLength(padded) <= 4096 && Buffer.byteLength(padded) > 4060, String(Buffer.byteLength(padded)));
    writeFileSync(path.join(mountPoint, 'linked.ipynb'), padded);
    linkSync(path.join(mountPoint, 'linked.ipynb'), path.join(mountPoint, 'linked-too.ipynb'));
    fill(512);
    const backupsBefore = readdirSync(os.tmpdir()).filter((f) => f.includes('linked.ipynb.nbprov-backup')).length;
    const result = nbprov(['tag', 'linked.ipynb', 'seed', 'param', '--json'], mountPoint);
    assertUsageError(result, /cannot write linked\.ipynb \(no space left on the device, ENOSPC\); it is unchanged/);
    assert.equal(readFileSync(path.join(mountPoint, 'linked-too.ipynb'), 'utf8'), padded);
    assert.equal(statSync(path.join(mountPoint, 'linked.ipynb')).nlink, 2);
    assert.deepEqual(readdirSync(mountPoint).filter((f) => f.includes('nbprov-')), []);
    assert.equal(readdirSync(os.tmpdir()).filter((f) => f.includes('linked.ipynb.nbprov-backup')).length, backupsBefore, 'the backup is removed');
  });
});
