// The bundled CLI's entry: runs `main` and sets the exit code (never calls process.exit while
// output may still be flushing). This file and signals.ts own the process-wide state: streams,
// console, signals, exit.
import { silenceLibraryDebugLogs } from './libraryLogs';
import { main } from './main';
import { escapeControls } from '../shared/controlChars';

silenceLibraryDebugLogs();

// `nbprov values x | head` closes the pipe early: that is the reader's choice, not an error.
// A closed terminal (EIO, after SIGHUP) is no reason to stop saving: output is dropped instead.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (err.code === 'EIO') return;
    throw err;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`nbprov: internal error: ${escapeControls(String(err), 'line')}\n`);
    process.exitCode = 1;
  },
);
