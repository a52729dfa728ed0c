// `podcast-mcp stop`: stops the local daemon of the data dir. Its workers finish their running jobs
// within the grace period (PODCAST_MCP_GRACE_MS) or hand them back to the queue, then the DB host
// closes the store. Exit 0 when no daemon runs afterwards (also when none ran), 1 when it would not stop.
import type { Config } from "../config.js";
import { pidAlive } from "../db/index.js";
import { readDaemonState } from "./daemon.js";

/** How long beyond the grace period a daemon may take to close its store and exit. */
const MARGIN_MS = 20_000;

export async function main(_args: string[], config: Config, out: NodeJS.WritableStream = process.stderr): Promise<number> {
  const state = await readDaemonState(config.dataDir);
  if (!state || !pidAlive(state.pid)) {
    out.write(`No daemon runs for ${config.dataDir}; nothing to stop.\n`);
    return 0;
  }
  out.write(`Stopping the daemon (pid ${state.pid}); running jobs have ${Math.round(config.graceMs / 1000)} s to finish, or go back to the queue…\n`);
  try {
    process.kill(state.pid, "SIGTERM");
  } catch (err) {
    out.write(`Could not signal pid ${state.pid}: ${(err as Error).message}\n`);
    return 1;
  }
  const deadline = Date.now() + config.graceMs + MARGIN_MS;
  while (pidAlive(state.pid)) {
    if (Date.now() > deadline) {
      out.write(`The daemon (pid ${state.pid}) is still running after ${Math.round((config.graceMs + MARGIN_MS) / 1000)} s; see daemon.log in ${config.dataDir}, or kill it.\n`);
      return 1;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  out.write("Stopped.\n");
  return 0;
}
