/**
 * `nbprov` command-line entry point. Dispatches to one module per verb; every failure the user can
 * fix becomes one line on stderr with exit code 2, and nothing prints a stack trace unless
 * NBPROV_DEBUG is set. SIGINT, SIGTERM and SIGHUP abort the command's signal (see signals.ts); the
 * process then exits with 128 + the signal's number.
 */
import { NbprovError, UsageError, closestNames } from '../core/errors';
import type { Command, CommandContext } from './command';
import { commands } from './commands';
import { cliErrorMessage } from './errorMessages';
import { createOutput } from './output';
import { handleSignals, signalExitCode } from './signals';
import { escapeControls } from '../shared/controlChars';

const VERSION = '0.1.0';

function generalHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'nbprov — provenance, lineage and experiment trials for Jupyter notebooks',
    '',
    'usage: nbprov <command> [arguments] [--json] [--workspace DIR]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `nbprov <command> --help` for a command\'s arguments and options.',
    '--json prints exactly one JSON document on stdout; errors go to stderr with exit code 2.',
  ].join('\n');
}

function findCommand(name: string): Command {
  const command = commands.find((c) => c.name === name);
  if (command) return command;
  const near = closestNames(name, commands.map((c) => c.name));
  throw new UsageError(`unknown command "${name}"${near.length ? `; did you mean ${near.join(' or ')}?` : ''} (see: nbprov --help)`);
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const controller = new AbortController();
  const signals = handleSignals(controller, (line) => process.stderr.write(line + '\n'));
  const ctx: CommandContext = { cwd: process.cwd(), env, output: (json) => createOutput(json), signal: controller.signal };
  try {
    const [name, ...rest] = argv;
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      process.stdout.write(generalHelp() + '\n');
      return name ? 0 : 2;
    }
    if (name === '--version' || name === '-V') {
      process.stdout.write(VERSION + '\n');
      return 0;
    }
    const command = findCommand(name);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(command.help.trim() + '\n');
      return 0;
    }
    const code = (await command.run(rest, ctx)) ?? 0;
    return signals.received ? signalExitCode(signals.received) : code;
  } catch (err) {
    const code = reportError(err, env);
    return signals.received ? signalExitCode(signals.received) : code;
  } finally {
    signals.dispose();
  }
}

/** One line on stderr: a user's error worded for the CLI (exit 2), or an internal error (exit 1). */
function reportError(err: unknown, env: NodeJS.ProcessEnv): number {
  if (env.NBPROV_DEBUG && err instanceof Error) process.stderr.write(escapeControls(err.stack ?? String(err)) + '\n');
  if (err instanceof NbprovError) {
    process.stderr.write(`nbprov: ${oneLine(cliErrorMessage(err, { cwd: process.cwd() }))}\n`);
    return 2;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`nbprov: internal error: ${oneLine(message)} (please report it; NBPROV_DEBUG=1 shows details)\n`);
  return 1;
}

/** Error messages quote paths, names and file excerpts: their control characters are shown escaped. */
function oneLine(text: string): string {
  return escapeControls(text.replace(/\s*\n\s*/g, ' ').slice(0, 2000), 'line');
}
