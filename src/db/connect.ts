// One way to reach SurrealDB whatever the URL: mem:// and rocksdb:// open the embedded engine
// in this process (only one process may open a rocksdb store); ws(s):// and http(s):// speak to a
// server (a real SurrealDB, or our local DB host). Node 20 has no global WebSocket, so the `ws`
// package is passed in. Over ws:// the SDK reconnects by itself after the server restarts, signs
// in again with the same credentials and restores the namespace, database and variables.
import { Surreal, createRemoteEngines, isRetryableConflict } from "surrealdb";
import { createNodeEngines } from "@surrealdb/node";
import WebSocket from "ws";

export type Db = Surreal;

export interface ConnectOptions {
  url: string;
  namespace: string;
  database: string;
  user?: string | undefined;
  password?: string | undefined;
  /**
   * Define the namespace and database when missing. Always done for embedded URLs (a new store
   * has neither); the local DB host wants it too. A real server's user may lack the right.
   */
  define?: boolean | undefined;
  /**
   * Asked before every (re)connect attempt: where the server is now (ws://host:port), or
   * undefined to keep the URL. The local DB host may come back on another port when its old one
   * was taken; the SDK keeps one URL for ever, so the socket class redirects each new socket.
   */
  relocate?: (() => string | undefined) | undefined;
}

export function isEmbeddedUrl(url: string): boolean {
  return url.startsWith("mem://") || url.startsWith("rocksdb://") || url.startsWith("surrealkv");
}

/** Reconnect for ever, quickly at first: a local host restarts in well under a second. */
const RECONNECT = { enabled: true, attempts: -1, retryDelay: 100, retryDelayMax: 2000, retryDelayMultiplier: 2, retryDelayJitter: 0.1 };

/**
 * A server that accepts TCP but never answers the upgrade (a hung process, or another program on
 * a port the host used to have) would stall the SDK's reconnect loop for ever without a limit.
 * The local host answers in milliseconds; a remote server may sit behind a slow TLS link.
 */
const LOCAL_HANDSHAKE_TIMEOUT_MS = 3000;
const REMOTE_HANDSHAKE_TIMEOUT_MS = 15_000;

/** `ws` with a handshake timeout and, optionally, each socket's address taken from `relocate`. */
function socketClass(relocate: ConnectOptions["relocate"]): typeof globalThis.WebSocket {
  // While the host is down `relocate` knows nothing; the last address it gave is the best guess.
  let last: string | undefined;
  class Socket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      const url = new URL(address);
      const current = relocate?.() ?? last;
      if (current) {
        last = current;
        const to = new URL(current);
        url.protocol = to.protocol;
        url.host = to.host;
      }
      super(url, protocols, { handshakeTimeout: relocate ? LOCAL_HANDSHAKE_TIMEOUT_MS : REMOTE_HANDSHAKE_TIMEOUT_MS });
    }
  }
  return Socket as unknown as typeof globalThis.WebSocket;
}

export async function connect(opts: ConnectOptions): Promise<Db> {
  const db = new Surreal({
    engines: { ...createRemoteEngines(), ...createNodeEngines() },
    websocketImpl: socketClass(opts.relocate),
  });
  const authentication =
    opts.user && opts.password ? { username: opts.user, password: opts.password } : undefined;
  const define = opts.define || isEmbeddedUrl(opts.url);
  const connectOpts = {
    // Before the namespace exists, `use` of it works but queries fail; define first, then use.
    ...(define ? {} : { namespace: opts.namespace, database: opts.database }),
    ...(authentication ? { authentication } : {}),
    reconnect: RECONNECT,
  };
  await db.connect(opts.url, connectOpts);
  if (define) {
    await defineNamespace(db, opts.namespace, opts.database);
    await db.use({ namespace: opts.namespace, database: opts.database });
  }
  return db;
}

/** True for the engine's "can be retried" transaction conflicts (two writers on one key). */
export function isConflict(err: unknown): boolean {
  return isRetryableConflict(err) || (err instanceof Error && /transaction conflict|can be retried|resource busy/i.test(err.message));
}

/**
 * Idempotent, but two processes connecting to a fresh store at once both write the same keys,
 * and the loser gets a transaction conflict: retried.
 */
async function defineNamespace(db: Db, namespace: string, database: string): Promise<void> {
  const sql = `DEFINE NAMESPACE IF NOT EXISTS ${namespace}; USE NS ${namespace}; DEFINE DATABASE IF NOT EXISTS ${database};`;
  for (let attempt = 1; ; attempt++) {
    try {
      await db.query(sql);
      return;
    } catch (err) {
      if (!isConflict(err) || attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, Math.min(10 * 2 ** attempt, 500) * (0.5 + Math.random())));
    }
  }
}
