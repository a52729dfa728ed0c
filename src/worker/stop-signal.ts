// When a long-running process (worker, daemon) should stop.
/**
 * Resolves on SIGTERM or SIGINT, and, for a process started by a supervisor over IPC, when that
 * channel closes (the supervisor died, even by SIGKILL: a worker without it would otherwise live
 * on beside the workers of the next daemon). `on`, not `once`: a second signal (a process
 * group's, or an impatient user's) must not kill the process half-way through handing its jobs back.
 */
export function stopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.on("SIGTERM", () => resolve());
    process.on("SIGINT", () => resolve());
    // `process.send` exists only in a child started with an IPC channel. If the supervisor died
    // while this process was still loading, the channel is already closed and no event will come.
    if (process.send) {
      if (!process.connected) resolve();
      else process.once("disconnect", () => resolve());
    }
  });
}
