/**
 * Builds the .vsix the end-to-end tests install, and lists what is inside it (a .vsix is a zip: its
 * central directory at the end of the file names every entry).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The package under test: NBPROV_E2E_VSIX when set, else a fresh `npm run package` of the current
 * sources into test-artifacts/ (it stages its own build, so dist/ is not rewritten under other tests).
 */
export function packageExtension(outDir: string): string {
  if (process.env.NBPROV_E2E_VSIX) return path.resolve(process.env.NBPROV_E2E_VSIX);
  mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, 'nbprov.vsix');
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'package.mjs'), '--out', out], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0 || !existsSync(out)) throw new Error(`npm run package failed:\n${result.stdout}\n${result.stderr}`);
  return out;
}

/** Names of the entries of a zip file, read from its central directory. */
export function zipEntries(file: string): string[] {
  const zip = readFileSync(file);
  const END_OF_DIRECTORY = 0x06054b50;
  const DIRECTORY_ENTRY = 0x02014b50;
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === END_OF_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error(`${file} is not a zip file (no end of central directory)`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== DIRECTORY_ENTRY) throw new Error(`${file}: damaged central directory at byte ${at}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
