/**
 * How wide human output may be: $COLUMNS when set (so scripts and tests choose), else the
 * terminal's width, else none (piped output is not cut to fit anything).
 */
export function terminalWidth(env: NodeJS.ProcessEnv, stdout: NodeJS.WritableStream = process.stdout): number | undefined {
  const columns = Number(env.COLUMNS);
  if (Number.isInteger(columns) && columns >= 40) return columns;
  const tty = stdout as NodeJS.WriteStream;
  return tty.isTTY && tty.columns >= 40 ? tty.columns : undefined;
}
