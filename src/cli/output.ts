/** The CLI's only writers: one JSON document on stdout with --json, human text otherwise. */
export interface Output {
  json: boolean;
  /** Human text (suppressed with --json). */
  line(text?: string): void;
  /** The single JSON document of a --json run. */
  document(value: unknown): void;
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
      if (!json) stdout.write(text + '\n');
    },
    document(value) {
      stdout.write(JSON.stringify(value, null, 2) + '\n');
    },
    note(text) {
      clearProgress();
      stderr.write(text + '\n');
    },
    progress(text) {
      if (tty) {
        stderr.write('\r\x1b[K' + text.slice(0, 200));
        progressShown = true;
      } else {
        stderr.write(text + '\n');
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
