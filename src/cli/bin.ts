// The bundled CLI's entry: runs `main` and sets the exit code (never calls process.exit while
// output may still be flushing).
import { main } from './main';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`nbprov: internal error: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
