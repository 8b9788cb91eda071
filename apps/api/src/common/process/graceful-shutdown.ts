import type { Logger } from 'pino';

/**
 * Runs `stop` once on the first SIGTERM or SIGINT, then exits: 0 when it finishes, 1 when it throws
 * or is still running `deadlineMs` later. A repeated signal is ignored (the deadline already bounds
 * the shutdown). The signal handlers stay registered for the whole shutdown (not `once`): a
 * library's signal-exit hook (Crawlee's lock files) re-raises the signal when it finds no other
 * listener left, which would kill the process mid-drain. A rejection nobody awaited (a database
 * call during an outage, say) is logged, not fatal: one lost connection must not end the process.
 */
export function onShutdownSignal(log: Logger, deadlineMs: number, stop: (signal: NodeJS.Signals) => Promise<void>): void {
  let shuttingDown = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    const deadline = setTimeout(() => {
      log.error('shutdown deadline passed; exiting');
      process.exit(1);
    }, deadlineMs);
    deadline.unref();
    try {
      await stop(signal);
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
}
