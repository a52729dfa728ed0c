// The database part's public face: connect from the config (a real server via SURREAL_URL, or
// the local DB host found through its state file), migrations, and the host itself.
import type { Config } from "../config.js";
import { AppError } from "../errors.js";
import { createLogger, type Logger } from "../log.js";
import { connect, type Db } from "./connect.js";
import { HostLink } from "./host-link.js";
import { readHostStateSync, stateFilePath } from "./host-state.js";
import { hostStatus, type HostStatus } from "./host-status.js";

export { connect, isEmbeddedUrl, type Db, type ConnectOptions } from "./connect.js";
export { migrate, appliedMigrations, checkMigrations, type Migration } from "./migrations.js";
export { allMigrations } from "./schema.js";
export { startDbHost, type DbHost, type DbHostOptions } from "./host.js";
export { DEFAULT_HOST_LIMITS, type HostLimits } from "./host-limits.js";
export { readHostState, inspectStateFile, pidAlive, stateFilePath, type HostState } from "./host-state.js";
export { hostStatus, type HostStatus } from "./host-status.js";
export { HostLink, type HostTarget } from "./host-link.js";

/** Polls until a host serves the data dir or the time is up; the last status either way. */
export async function waitForHost(dataDir: string, waitMs: number): Promise<HostStatus> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const status = await hostStatus(dataDir);
    if (status.kind === "running" || Date.now() >= deadline) return status;
    await new Promise((r) => setTimeout(r, Math.min(100, Math.max(1, deadline - Date.now()))));
  }
}

/** The link to the data dir's host: re-reads the state file before every (re)connect. */
export function hostLink(dataDir: string, log: Logger): HostLink {
  const find = () => {
    const s = readHostStateSync(dataDir);
    return s ? { url: s.url, secret: s.secret } : undefined;
  };
  return new HostLink(find, stateFilePath(dataDir), log, find());
}

export async function connectFromConfig(config: Config, opts: { waitMs?: number; log?: Logger } = {}): Promise<Db> {
  const logFile = config.logFile ? { file: config.logFile } : {};
  const log = opts.log ?? createLogger({ level: config.logLevel, ...logFile, name: "db" });
  const { namespace, database } = config;
  if (config.surrealUrl) {
    return connect({ url: config.surrealUrl, namespace, database, user: config.user, password: config.password, log });
  }
  const status = await waitForHost(config.dataDir, opts.waitMs ?? 0);
  if (status.kind !== "running") {
    throw new AppError(
      "internal",
      `No local DB host is running for the data dir ${config.dataDir} (${status.why}): ` +
        "start it with `podcast-mcp daemon`, or set SURREAL_URL to use a SurrealDB server",
    );
  }
  const host = hostLink(config.dataDir, log);
  return connect({ url: status.state.url, namespace, database, define: true, host, log });
}
