// `podcast-mcp stop`: stops the local daemon of the data dir. Its workers finish their running jobs
// within the grace period (PODCAST_MCP_GRACE_MS) or hand them back to the queue, then the DB host
// closes the store. Exit 0 when no daemon runs afterwards (also when none ran), 1 when it would not
// stop. On a terminal the wait is one live line with the seconds counting; elsewhere plain lines.
import { parseFlags } from "../cli/args.js";
import { createStatusLine, createStyle, type OutStream } from "../cli/terminal.js";
import { formatSeconds } from "../cli/time-left.js";
import { usageError } from "../cli/usage.js";
import type { Config } from "../config.js";
import { pidAlive } from "../db/index.js";
import { errorMessage } from "../errors.js";
import { readDaemonState } from "./daemon.js";

/** How long beyond the grace period a daemon may take to close its store and exit. */
const MARGIN_MS = 20_000;
const POLL_MS = 100;

export async function main(args: string[], config: Config, out: OutStream = process.stderr): Promise<number> {
  try {
    parseFlags("stop", args, {});
  } catch (err) {
    out.write(usageError("stop", errorMessage(err)));
    return 2;
  }
  const line = createStatusLine(out);
  const style = createStyle(line.terminal);
  const state = await readDaemonState(config.dataDir);
  if (!state || !pidAlive(state.pid)) {
    line.print(`No daemon runs for ${config.dataDir}; nothing to stop.`);
    return 0;
  }
  const grace = formatSeconds(config.graceMs / 1000);
  const waiting = `Stopping the daemon (pid ${state.pid}); jobs have ${grace} to finish or go back to the queue`;
  if (line.terminal) line.show(waiting);
  else line.print(waiting);
  try {
    process.kill(state.pid, "SIGTERM");
  } catch (err) {
    line.clear();
    line.print(`${style.bad("Could not signal")} pid ${state.pid}: ${(err as Error).message}`);
    return 1;
  }
  const started = Date.now();
  const deadline = started + config.graceMs + MARGIN_MS;
  let shown = 0;
  while (pidAlive(state.pid)) {
    if (Date.now() > deadline) {
      line.clear();
      const waited = formatSeconds((config.graceMs + MARGIN_MS) / 1000);
      const where = `see daemon.log in ${config.dataDir}, or kill it`;
      line.print(`${style.bad("The daemon")} (pid ${state.pid}) is still running after ${waited}; ${where}.`);
      return 1;
    }
    const waited = Math.floor((Date.now() - started) / 1000);
    if (line.terminal && waited > shown) {
      shown = waited;
      line.show(`${waiting} ${formatSeconds(waited)}`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  line.clear();
  line.print(`${style.ok("Stopped.")} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return 0;
}
