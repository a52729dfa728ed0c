// One way to reach SurrealDB whatever the URL: mem:// and rocksdb:// open the embedded engine
// in this process (only one process may open a rocksdb store); ws(s):// and http(s):// speak to a
// server (a real SurrealDB, or our local DB host). Node 20 has no global WebSocket, so the `ws`
// package is passed in.
import { Surreal, createRemoteEngines } from "surrealdb";
import { createNodeEngines } from "@surrealdb/node";
import WebSocket from "ws";

export type Db = Surreal;

export interface ConnectOptions {
  url: string;
  namespace: string;
  database: string;
  user?: string | undefined;
  password?: string | undefined;
}

export function isEmbeddedUrl(url: string): boolean {
  return url.startsWith("mem://") || url.startsWith("rocksdb://") || url.startsWith("surrealkv");
}

export async function connect(opts: ConnectOptions): Promise<Db> {
  const db = new Surreal({
    engines: { ...createRemoteEngines(), ...createNodeEngines() },
    websocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  const authentication =
    opts.user && opts.password ? { username: opts.user, password: opts.password } : undefined;
  await db.connect(opts.url, {
    namespace: opts.namespace,
    database: opts.database,
    ...(authentication ? { authentication } : {}),
    reconnect: { enabled: true, attempts: -1, retryDelay: 100, retryDelayMax: 2000, retryDelayMultiplier: 2, retryDelayJitter: 0.1 },
  });
  if (isEmbeddedUrl(opts.url)) {
    // The embedded engine starts with no namespace/database defined.
    await db.query(`DEFINE NAMESPACE IF NOT EXISTS ${opts.namespace}; USE NS ${opts.namespace}; DEFINE DATABASE IF NOT EXISTS ${opts.database};`);
    await db.use({ namespace: opts.namespace, database: opts.database });
  }
  return db;
}
