/**
 * @jupyterlab/services logs WebSocket and status chatter with console.debug, which Node prints on
 * stdout, where the CLI promises exactly one JSON document. Drops only those lines. A process-wide
 * patch: only entry points (bin.ts, the bench) call it, never a library layer.
 */
export function silenceLibraryDebugLogs(): void {
  const original = console.debug.bind(console);
  const chatter = /^(Starting WebSocket:|Kernel: \w+ \()/;
  console.debug = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && chatter.test(args[0])) return;
    original(...args);
  };
}
