// The database part's public face: connect from the config (a real server via SURREAL_URL, or
// the local DB host found through its state file), migrations, and the host itself.
import type { Config } from "../config.js";
import { AppError } from "../errors.js";
import { connect, type Db } from "./connect.js";
import { readHostState, readHostStateSync, stateFilePath, type HostState } from "./host-state.js";

export { connect, isConflict, isEmbeddedUrl, type Db, type ConnectOptions } from "./connect.js";
export { migrate, appliedMigrations, checkMigrations, type Migration } from "./migrations.js";
export { allMigrations } from "./schema.js";
export { startDbHost, type DbHost, type DbHostOptions } from "./host.js";
export { readHostState, type HostState } from "./host-state.js";
export { RECORD_KEY, recordIdPattern } from "./record-key.js";

async function waitForHost(dataDir: string, waitMs: number): Promise<HostState | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const state = await readHostState(dataDir);
    if (state || Date.now() >= deadline) return state;
    await new Promise((r) => setTimeout(r, Math.min(100, Math.max(1, deadline - Date.now()))));
  }
}

export async function connectFromConfig(config: Config, opts: { waitMs?: number } = {}): Promise<Db> {
  if (config.surrealUrl) {
    return connect({ url: config.surrealUrl, namespace: config.namespace, database: config.database, user: config.user, password: config.password });
  }
  const state = await waitForHost(config.dataDir, opts.waitMs ?? 0);
  if (!state) {
    throw new AppError(
      "internal",
      `No local DB host is running for the data dir ${config.dataDir} (no live ${stateFilePath(config.dataDir)}): start it with \`podcast-mcp daemon\`, or set SURREAL_URL to use a SurrealDB server`,
    );
  }
  return connect({
    url: state.url,
    namespace: config.namespace,
    database: config.database,
    user: "root",
    password: state.secret,
    define: true,
    relocate: () => readHostStateSync(config.dataDir)?.url,
  });
}
