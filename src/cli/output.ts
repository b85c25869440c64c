/**
 * The CLI's only writers: one JSON document on stdout with --json, human text otherwise. Every
 * write neutralises control characters (src/shared/controlChars.ts): text from notebooks and stores
 * reaches the terminal with ESC, C1, bidi overrides and the like shown escaped, so no verb can
 * forget it (the lint forbids verbs from writing to process.stdout/stderr themselves).
 */
import { escapeControls, escapeJsonControls } from '../shared/controlChars';

export interface Output {
  json: boolean;
  /** Human text (suppressed with --json). */
  line(text?: string): void;
  /** The single JSON document of a --json run. */
  document(value: unknown): void;
  /** A data document on stdout whatever --json says (`values --csv`, `export`): CSV or JSON text. */
  data(text: string, format: 'json' | 'text'): void;
  /** Notes and warnings go to stderr so stdout stays machine-readable. */
  note(text: string): void;
  /** A progress line on stderr, redrawn in place on a terminal. */
  progress(text: string): void;
  endProgress(): void;
}

export function createOutput(json: boolean, stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WriteStream | NodeJS.WritableStream = process.stderr): Output {
  const tty = 'isTTY' in stderr && Boolean(stderr.isTTY);
  let progressShown = false;
  const clearProgress = () => {
    if (progressShown && tty) stderr.write('\r\x1b[K');
    progressShown = false;
  };
  return {
    json,
    line(text = '') {
      if (!json) stdout.write(escapeControls(text) + '\n');
    },
    document(value) {
      stdout.write(escapeJsonControls(JSON.stringify(value, null, 2)) + '\n');
    },
    data(text, format) {
      stdout.write(format === 'json' ? escapeJsonControls(text) : escapeControls(text));
    },
    note(text) {
      clearProgress();
      stderr.write(escapeControls(text) + '\n');
    },
    progress(text) {
      const shown = escapeControls(text, 'none');
      if (tty) {
        stderr.write('\r\x1b[K' + shown.slice(0, 200));
        progressShown = true;
      } else {
        stderr.write(shown + '\n');
      }
    },
    endProgress() {
      clearProgress();
    },
  };
}

/** First line of code (comments skipped) of a snippet, shortened for one-line listings. */
export function firstLine(code: string, max = 80): string {
  const lines = code.split('\n').filter((l) => l.trim() !== '');
  const line = lines.find((l) => !/^\s*(#|\/\/)/.test(l)) ?? lines[0] ?? '';
  const more = code.trim().includes('\n') ? ' …' : '';
  const text = line.trimEnd();
  return text.length > max ? text.slice(0, max - 1) + '…' + more : text + more;
}

export function list(names: readonly string[]): string {
  return names.length ? names.join(', ') : '—';
}
