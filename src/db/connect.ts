// One way to reach SurrealDB whatever the URL: mem:// and rocksdb:// open the embedded engine
// in this process (only one process may open a rocksdb store); ws(s):// and http(s):// speak to a
// server (a real SurrealDB, or our local DB host). Node 20 has no global WebSocket, so the `ws`
// package is passed in. Over ws:// the SDK reconnects by itself after the server restarts, signs
// in again and restores the namespace, database and variables.
//
// The SDK gives a connection up for good when anything fails while it restores a session after a
// reconnect (measured: a daemon stopped with SIGTERM, a new one with a new secret, the sign-in
// refused, and every call failed with "You must be connected to a SurrealDB instance" until the
// server restarted). So a connection that was up and is given up is opened again here, with
// backoff, whatever the cause, until it is closed on purpose. (Opening again drops sessions made
// with `newSession()`, as the SDK's connect() does; nothing here uses them. Live queries come back.)
import { Surreal, createRemoteEngines } from "surrealdb";
import { backoffMs } from "../core/resilience/backoff.js";
import { withConflictRetry } from "../core/resilience/conflict.js";
import { AppError } from "../errors.js";
import { silentLogger, type Logger } from "../log.js";
import { remoteSocketClass, type HostLink } from "./host-link.js";

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
   * The local DB host: every (re)connect goes where the link's state file says, only to a host
   * that proves it knows the secret, and signs in with that secret (user/password are ignored).
   */
  host?: HostLink | undefined;
  /** How long the first connect may take before it fails; later reconnects wait as long as it takes. */
  connectTimeoutMs?: number | undefined;
  log?: Logger | undefined;
}

export function isEmbeddedUrl(url: string): boolean {
  return url.startsWith("mem://") || url.startsWith("rocksdb://") || url.startsWith("surrealkv");
}

/** Reconnect for ever, quickly at first: a local host restarts in well under a second. */
const RECONNECT = {
  enabled: true,
  attempts: -1,
  retryDelay: 100,
  retryDelayMax: 2000,
  retryDelayMultiplier: 2,
  retryDelayJitter: 0.1,
};
/** A local host answers in milliseconds; a remote server may be starting or far away. */
const LOCAL_CONNECT_TIMEOUT_MS = 10_000;
const REMOTE_CONNECT_TIMEOUT_MS = 30_000;
/** Between attempts to open again a connection the SDK gave up: 0.1–0.2 s doubling to 2.5–5 s. */
const reopenDelay = (attempt: number) => backoffMs(attempt + 1, 200, 5_000);

/** A Surreal that knows whether it was closed on purpose. */
class Connection extends Surreal {
  closedOnPurpose = false;
  override close(): Promise<true> {
    this.closedOnPurpose = true;
    return super.close();
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(onTimeout()), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export async function connect(opts: ConnectOptions): Promise<Db> {
  const log = opts.log ?? silentLogger;
  // The embedded engine (a native module of ~10 MB resident) is loaded only by a process that opens a
  // store itself: servers and workers speak to a host over ws:// and stay small.
  const embedded = isEmbeddedUrl(opts.url) ? (await import("@surrealdb/node")).createNodeEngines() : {};
  const db = new Connection({
    engines: { ...createRemoteEngines(), ...embedded },
    websocketImpl: opts.host ? opts.host.socketClass() : remoteSocketClass(),
  });
  const link = opts.host;
  const authentication = link
    ? () => link.credentials()
    : opts.user && opts.password
      ? { username: opts.user, password: opts.password }
      : undefined;
  const define = opts.define || isEmbeddedUrl(opts.url);
  const connectOpts = {
    // Before the namespace exists, `use` of it works but queries fail; define first, then use.
    ...(define ? {} : { namespace: opts.namespace, database: opts.database }),
    ...(authentication ? { authentication } : {}),
    reconnect: RECONNECT,
  };
  const open = async () => {
    await db.connect(opts.url, connectOpts);
    if (define) {
      await defineNamespace(db, opts.namespace, opts.database);
      await db.use({ namespace: opts.namespace, database: opts.database });
    }
  };
  if (isEmbeddedUrl(opts.url)) {
    await open();
    return db;
  }
  const limit = opts.connectTimeoutMs ?? (link ? LOCAL_CONNECT_TIMEOUT_MS : REMOTE_CONNECT_TIMEOUT_MS);
  const where = link ? `the local DB host (${link.source})` : opts.url;
  try {
    const late = () => new AppError("internal", `Could not connect to ${where} within ${limit} ms`);
    await withTimeout(open(), limit, late);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  keepOpen(db, open, where, log);
  return db;
}

/** Opens the connection again each time the SDK gives it up, until it is closed on purpose. */
function keepOpen(db: Connection, open: () => Promise<void>, where: string, log: Logger): void {
  let reopening = false;
  db.subscribe("disconnected", () => {
    if (db.closedOnPurpose || reopening) return;
    reopening = true;
    log.warn({ where }, "db: the connection was given up; opening it again");
    void (async () => {
      for (let attempt = 0; !db.closedOnPurpose; attempt++) {
        await new Promise((r) => setTimeout(r, reopenDelay(attempt)));
        if (db.closedOnPurpose) break;
        try {
          await open();
          log.info({ where, attempt }, "db: connection open again");
          break;
        } catch (err) {
          log.warn({ err, where, attempt }, "db: could not open the connection again; retrying");
        }
      }
      reopening = false;
    })();
  });
}

/**
 * Idempotent, but two processes connecting to a fresh store at once both write the same keys,
 * and the loser gets a transaction conflict: retried.
 */
async function defineNamespace(db: Db, namespace: string, database: string): Promise<void> {
  const sql = `DEFINE NAMESPACE IF NOT EXISTS ${namespace}; USE NS ${namespace}; DEFINE DATABASE IF NOT EXISTS ${database};`;
  await withConflictRetry(async () => void (await db.query(sql)), 20);
}
