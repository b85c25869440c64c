/**
 * How the CLI ends on a signal (the only place besides bin.ts that touches process-wide state).
 * The first SIGINT, SIGTERM or SIGHUP aborts the command's AbortSignal: `nbprov run` interrupts
 * the running cell, saves what finished and exits with 128 + the signal's number. A second one
 * exits at once; every execution saved so far stays in the store (saves are atomic), and the
 * Jupyter Server nbprov started ends on its own when this process is gone.
 */
import { constants } from 'node:os';

const HANDLED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type HandledSignal = (typeof HANDLED)[number];

export function signalExitCode(signal: HandledSignal): number {
  return 128 + constants.signals[signal];
}

export interface SignalHandling {
  /** The first signal received, if any. */
  readonly received: HandledSignal | null;
  dispose(): void;
}

export function handleSignals(controller: AbortController, say: (line: string) => void): SignalHandling {
  let received: HandledSignal | null = null;
  const listeners = HANDLED.map((signal) => {
    const listener = () => {
      if (received) {
        say(`nbprov: ${signal} again: exiting now; executions saved so far are kept`);
        process.exit(signalExitCode(received));
      }
      received = signal;
      const again = signal === 'SIGINT' ? 'press Ctrl-C again' : `send ${signal} again`;
      say(`nbprov: ${signal}: stopping; saving what finished (${again} to exit at once)`);
      controller.abort(signal);
    };
    process.on(signal, listener);
    return { signal, listener };
  });
  return {
    get received() {
      return received;
    },
    dispose() {
      for (const { signal, listener } of listeners) process.off(signal, listener);
    },
  };
}
