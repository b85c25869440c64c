import type { Output } from './output';

export interface CommandContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Created by the command once it knows whether --json was given. */
  output(json: boolean): Output;
  /** Aborted on Ctrl-C so long work can stop cleanly and keep what it recorded. */
  signal: AbortSignal;
}

export interface Command {
  name: string;
  summary: string;
  /** Full help text: usage line, arguments, options. */
  help: string;
  run(argv: string[], ctx: CommandContext): Promise<number | void>;
}
