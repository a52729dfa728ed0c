// The local DB host: the one process that opens the embedded store `rocksdb://<dataDir>/db` (the
// engine locks it to one process) and serves SurrealDB's WebSocket RPC on 127.0.0.1, so every
// other process talks to it with the stock `surrealdb` SDK over ws://, exactly as to a server.
//
// Auth: the host writes `<dataDir>/db-host.json` (mode 0600) with a random secret, new at every
// start. Before a client sends anything it checks the host's proof of that secret, answered in the
// WebSocket handshake (host-proof.ts), so it never hands the secret to another program that took
// the port. It then signs in as user `root` with the secret as password: the SDK's own
// `authentication` option sends it as an RPC `signin`, and again after every reconnect (a function
// that gives the secret of the host just proven, so clients follow a host that restarted with a
// new secret). The host answers the signin itself (the embedded engine has no users) with an
// opaque, non-JWT token, so the SDK schedules no token renewal. Before sign-in nothing reaches the
// engine (host-connection.ts), and host-limits.ts bounds what an unsigned connection may cost.
// A restarted host takes the old port when it is free; clients re-read the state file anyway.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { mkdir, statfs } from "node:fs/promises";
import path from "node:path";
import { WebSocketServer, type WebSocket } from "ws";
import { AppError } from "../errors.js";
import type { Logger } from "../log.js";
import { HostConnection, type HostShared } from "./host-connection.js";
import { portAnswers } from "./host-status.js";
import { DEFAULT_HOST_LIMITS, limitMessage, type HostLimits } from "./host-limits.js";
import { hostProof, isNonce, NONCE_HEADER, PROOF_HEADER } from "./host-proof.js";
import {
  inspectStateFile,
  newSecret,
  pidAlive,
  removeHostState,
  stateFilePath,
  writeHostState,
  type HostState,
} from "./host-state.js";
import { openNativeEngine, type NativeEngine } from "./native.js";
import { codec } from "./rpc-envelope.js";
import { storeLockHolder } from "./store-lock.js";

export { readHostState, type HostState } from "./host-state.js";

export interface DbHost {
  url: string;
  port: number;
  secret: string;
  /** Connections signed in now (each server, worker and CLI process holds one). */
  clients(): number;
  stop(): Promise<void>;
}

export interface DbHostOptions {
  dataDir: string;
  log: Logger;
  /** Fixed port; default: the previous host's port when free, else any free port. */
  port?: number;
  /** Lower limits (tests); the defaults are in host-limits.ts. */
  limits?: Partial<HostLimits>;
  /**
   * Called once when the host cannot go on well by itself and its process should stop it and start
   * a new one: today, when the disk was full and has room again (the store only writes again once
   * reopened, and the engine frees its lock only when the process exits).
   */
  onRestartNeeded?: (reason: string) => void;
}

const LOOPBACK = "127.0.0.1";
/** How often the host checks that its state file still names it, and (after a full disk) free space. */
const WATCH_EVERY_MS = 2_000;
/** Free space that makes a restart after a full disk worth it: room for the write-ahead log to grow. */
const RESTART_FREE_BYTES = 16 * 1024 * 1024;

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.off("listening", onListening);
      reject(err);
    };
    const onListening = () => {
      server.off("error", onError);
      const addr = server.address();
      resolve(typeof addr === "object" && addr ? addr.port : port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, LOOPBACK);
  });
}

async function openStore(dataDir: string): Promise<NativeEngine> {
  const dir = path.join(dataDir, "db");
  try {
    // RocksDB's default: the write-ahead log synced at every commit. The engine's `?sync=200ms`
    // made writes ~40 % cheaper (measured), but keeps the log in this process until the next sync:
    // a SIGKILL lost acknowledged jobs (test/db/store-sync.test.ts, run with `?sync=60s`).
    // `?sync=never` hands each commit to the OS (that test passed 3 of 3) but gives up the power-loss
    // guarantee, and bought nothing measurable where latency matters: generate_podcast with 2 busy
    // workers, p95 30.8 / 23.3 ms with it vs 27.2 / 23.9 ms without (interleaved runs).
    return await openNativeEngine(`rocksdb://${dir}`);
  } catch (err) {
    const msg = (err as Error).message ?? String(err);
    if (/lock/i.test(msg)) {
      const holder = await storeLockHolder(dir);
      const state = await inspectStateFile(dataDir);
      const file = stateFilePath(dataDir);
      const who = holder ? `process ${holder}${holder === process.pid ? " (this one)" : ""}` : "another process";
      const fileIs =
        state.kind === "corrupt"
          ? `corrupt (${state.reason})`
          : state.kind === "missing"
            ? "missing"
            : `about pid ${state.state.pid}`;
      const hint =
        state.kind === "ok" && state.state.pid === holder
          ? `it is the DB host named in ${file}; connect to it, or stop it first (kill ${holder})`
          : `${file} is ${fileIs}; a running DB host rewrites it within ${WATCH_EVERY_MS / 1000} s, so connect again ` +
            `shortly${holder ? `, or stop that process first (kill ${holder})` : ""}`;
      const message = `The database store ${dir} is in use by ${who} (only one DB host may run per data dir): ${hint}`;
      throw new AppError("conflict", `${message}. Engine: ${msg}`, { cause: err });
    }
    throw new AppError("internal", `Could not open the database store ${dir}: ${msg}`, { cause: err });
  }
}

/** Forwards each live notification to the connection that owns its session, until the engine closes. */
async function pumpNotifications(
  engine: NativeEngine,
  owners: Map<string, HostConnection>,
  log: Logger,
): Promise<void> {
  const rx = await engine.notifications();
  for (;;) {
    const raw = await rx.recv();
    if (raw === null) return;
    try {
      const session = (codec.decode(raw) as { session?: unknown }).session;
      const owner = session === undefined || session === null ? undefined : owners.get(String(session));
      if (owner) owner.notify(raw);
      else log.debug({ session: String(session) }, "db host: notification for a session no connection owns");
    } catch (err) {
      log.warn({ err }, "db host: undecodable live notification dropped");
    }
  }
}

async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

export async function startDbHost(opts: DbHostOptions): Promise<DbHost> {
  const { dataDir } = opts;
  const log = opts.log;
  const limits: HostLimits = { ...DEFAULT_HOST_LIMITS, ...opts.limits };
  const storeDir = path.join(dataDir, "db");
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const found = await inspectStateFile(dataDir);
  const previous = found.kind === "ok" ? found.state : undefined;
  // A live pid whose port answers is a running host. A live pid with a silent port may be a
  // reused pid after a reboot, so the store lock decides then.
  if (previous && previous.pid !== process.pid && pidAlive(previous.pid) && (await portAnswers(previous.port))) {
    throw new AppError("conflict", `A DB host already runs for ${dataDir} (pid ${previous.pid}, ${previous.url})`);
  }
  if (found.kind === "corrupt") {
    const file = stateFilePath(dataDir);
    log.warn({ file, reason: found.reason }, "db host: the state file is corrupt; replacing it");
  }
  const engine = await openStore(dataDir);
  // New at every start: a client that proved the old host cannot be fooled by a relay to this one,
  // and whoever read the old secret (a crashed host's file) cannot sign in here.
  const secret = newSecret();
  const version = codec.decode(await engine.execute(codec.encode({ id: "host", method: "version" }) as Uint8Array));
  const owners = new Map<string, HostConnection>();
  let diskWatch: NodeJS.Timeout | undefined;
  const shared: HostShared = {
    engine,
    secret,
    token: createHash("sha256").update(`podcast-mcp-db-host-token:${secret}`).digest("base64url"),
    version,
    limits,
    storeDir,
    log,
    owners,
    onDiskFull: (message) => {
      if (diskWatch) return;
      log.error({ storeDir, message }, "db host: disk full; writes fail until there is room and the host restarted");
      diskWatch = setInterval(() => {
        void freeBytes(storeDir).then(
          (free) => {
            if (free < RESTART_FREE_BYTES || !diskWatch) return;
            clearInterval(diskWatch);
            const reason = `disk space is back (${Math.round(free / 1024 / 1024)} MiB free): restart to write again`;
            log.warn({ storeDir }, `db host: ${reason}`);
            opts.onRestartNeeded?.(reason);
          },
          (err: unknown) => log.debug({ err }, "db host: statfs failed"),
        );
      }, WATCH_EVERY_MS).unref();
    },
  };

  const connections = new Set<HostConnection>();
  const server = createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain" }).end("SurrealDB RPC over WebSocket at /rpc\n");
  });
  // A hard cap on sockets, upgraded or not; the WebSocket checks below refuse with a reason first.
  server.maxConnections = limits.maxConnections + limits.maxUnauthenticated;
  server.headersTimeout = 5_000;
  server.requestTimeout = 5_000;
  const wss = new WebSocketServer({
    server,
    path: "/rpc",
    maxPayload: limits.maxMessageBytes,
    handleProtocols: (protocols) => (protocols.has("cbor") ? "cbor" : false),
    verifyClient: ({ req }: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) => {
      // Browsers send Origin; no web page has any business with this port.
      if (req.headers.origin !== undefined) return done(false, 403, "Forbidden");
      const unsigned = [...connections].filter((c) => !c.authenticated).length;
      if (connections.size >= limits.maxConnections) {
        return done(false, 503, `Too many connections (at most ${limits.maxConnections})`);
      }
      if (unsigned >= limits.maxUnauthenticated) {
        return done(false, 503, `Too many connections waiting to sign in (at most ${limits.maxUnauthenticated})`);
      }
      done(true);
    },
  });
  // The proof answers the client's nonce in the 101 response, before any message can flow.
  wss.on("headers", (headers: string[], req: IncomingMessage) => {
    const nonce = req.headers[NONCE_HEADER];
    if (isNonce(nonce)) headers.push(`${PROOF_HEADER}: ${hostProof(secret, nonce)}`);
  });
  // The server's own errors (a taken port while listening) are re-emitted here; listen() reports them.
  wss.on("error", (err) => log.debug({ err }, "db host: server error"));
  wss.on("connection", (ws: WebSocket, req: IncomingMessage) => {
    if (ws.protocol !== "cbor") {
      ws.close(1002, "only the cbor subprotocol is served");
      return;
    }
    // Until sign-in: a byte budget on the raw socket (ws would buffer a whole message, up to
    // maxPayload, before we saw it) and a deadline.
    const socket = req.socket;
    let received = 0;
    const refuse = (code: number, reason: string) => {
      // debug: anyone on the machine can make these, as fast as they like, and the log is on the data disk
      log.debug({ remote: socket.remotePort, reason }, "db host: closing a connection that did not sign in");
      ws.close(code, reason);
      setTimeout(() => ws.terminate(), 1_000).unref();
    };
    const countBytes = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limits.preAuthBytes) return;
      socket.off("data", countBytes);
      socket.pause(); // read no more of it
      refuse(1009, limitMessage.preAuthBytes(limits.preAuthBytes));
    };
    socket.on("data", countBytes);
    const late = () => refuse(1008, limitMessage.signinTimeout(limits.signinTimeoutMs));
    const deadline = setTimeout(late, limits.signinTimeoutMs);
    deadline.unref();
    const conn = new HostConnection(
      shared,
      (data) => ws.send(data),
      () => {
        socket.off("data", countBytes);
        clearTimeout(deadline);
      },
    );
    connections.add(conn);
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      const bytes = isBinary
        ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        : new TextEncoder().encode(data.toString());
      void conn.handle(bytes);
    });
    ws.on("close", () => {
      clearTimeout(deadline);
      void conn.close().finally(() => connections.delete(conn));
    });
    ws.on("error", (err) => log.debug({ err }, "db host: socket error"));
  });

  let port: number;
  try {
    const wanted = opts.port ?? previous?.port ?? 0;
    try {
      port = await listen(server, wanted);
    } catch (err) {
      // The previous port is only a preference; an explicit one is a requirement.
      if (opts.port !== undefined || wanted === 0 || (err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
      log.warn(
        { port: wanted },
        "db host: previous port is taken; clients of the old host must reconnect from the state file",
      );
      port = await listen(server, 0);
    }
  } catch (err) {
    engine.free();
    throw new AppError(
      "internal",
      `The DB host could not listen on ${LOOPBACK}:${opts.port ?? previous?.port ?? 0}: ${(err as Error).message}`,
      { cause: err },
    );
  }

  const url = `ws://${LOOPBACK}:${port}`;
  const state: HostState = { port, pid: process.pid, secret, url, started: new Date().toISOString() };
  try {
    await writeHostState(dataDir, state);
  } catch (err) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    engine.free();
    const message = `The DB host could not write ${stateFilePath(dataDir)}: ${(err as Error).message}`;
    throw new AppError("internal", message, { cause: err });
  }
  void pumpNotifications(engine, owners, log).catch((err: unknown) =>
    log.error({ err }, "db host: notification stream failed"),
  );
  log.info({ url, dataDir, tookOver: previous !== undefined }, "db host: listening");

  // While this host holds the store's lock no other host can run here, so the state file must name
  // it: one that was deleted, truncated or overwritten by hand is written again, or every client
  // would lose the host and a server would start a second daemon that can only fail on the lock.
  const keepStateFile = setInterval(() => {
    void inspectStateFile(dataDir)
      .then(async (now) => {
        if (stopping) return;
        const same =
          now.kind === "ok" && now.state.pid === state.pid && now.state.port === port && now.state.secret === secret;
        if (same) return;
        const file = stateFilePath(dataDir);
        log.warn({ file, found: now.kind }, "db host: the state file no longer names this host; writing it again");
        await writeHostState(dataDir, state);
      })
      .catch((err: unknown) => log.warn({ err }, "db host: could not rewrite the state file"));
  }, WATCH_EVERY_MS);
  keepStateFile.unref();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(keepStateFile);
      clearInterval(diskWatch);
      diskWatch = undefined;
      for (const ws of wss.clients) ws.terminate();
      await Promise.all([...connections].map((c) => c.close()));
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      engine.free();
      await removeHostState(dataDir, process.pid).catch((err: unknown) => {
        log.warn({ err }, "db host: could not remove the state file");
      });
      log.info({ url }, "db host: stopped");
    })());
  const clients = () => [...connections].filter((c) => c.authenticated).length;
  return { url, port, secret, clients, stop };
}
