// The local DB host: the one process that opens the embedded store `rocksdb://<dataDir>/db` (the
// engine locks it to one process) and serves SurrealDB's WebSocket RPC on 127.0.0.1, so every
// other process talks to it with the stock `surrealdb` SDK over ws://, exactly as to a server.
//
// Auth: the host writes `<dataDir>/db-host.json` (mode 0600) with a random secret. A client signs
// in as user `root` with that secret as password: the SDK's own `authentication` option sends it
// as an RPC `signin`, and re-sends it by itself after every reconnect, which a URL query parameter
// or subprotocol would not guarantee. The host answers the signin itself (the embedded engine has
// no users) with an opaque, non-JWT token, so the SDK schedules no token renewal. Until a
// connection signs in it may only do what the SDK does while restoring a session (use, let, ...).
// A restarted host reuses the secret and, when it can, the port from the old state file, so
// clients that were connected reconnect by themselves.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { connect as tcpConnect } from "node:net";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { WebSocketServer, type WebSocket } from "ws";
import { AppError } from "../errors.js";
import type { Logger } from "../log.js";
import { HostConnection, type HostShared } from "./host-connection.js";
import { newSecret, pidAlive, readStateFile, removeHostState, writeHostState, type HostState } from "./host-state.js";
import { openNativeEngine, type NativeEngine } from "./native.js";
import { codec } from "./rpc-envelope.js";

export { readHostState, type HostState } from "./host-state.js";

export interface DbHost {
  url: string;
  port: number;
  secret: string;
  stop(): Promise<void>;
}

export interface DbHostOptions {
  dataDir: string;
  log: Logger;
  /** Fixed port; default: the previous host's port when free, else any free port. */
  port?: number;
}

const LOOPBACK = "127.0.0.1";
/** Large enough for an episode's transcript and outline in one record. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

function portAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = tcpConnect({ host: LOOPBACK, port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once("connect", () => done(true));
    sock.once("error", () => done(false));
  });
}

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
    return await openNativeEngine(`rocksdb://${dir}`);
  } catch (err) {
    const msg = (err as Error).message ?? String(err);
    if (/lock/i.test(msg)) {
      throw new AppError("conflict", `The database store ${dir} is in use by another process (only one DB host may run per data dir): ${msg}`, { cause: err });
    }
    throw new AppError("internal", `Could not open the database store ${dir}: ${msg}`, { cause: err });
  }
}

/** Forwards each live notification to the connection that owns its session, until the engine closes. */
async function pumpNotifications(engine: NativeEngine, owners: Map<string, HostConnection>, log: Logger): Promise<void> {
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

export async function startDbHost(opts: DbHostOptions): Promise<DbHost> {
  const { dataDir, log } = opts;
  await mkdir(dataDir, { recursive: true });
  const previous = await readStateFile(dataDir);
  // A live pid whose port answers is a running host. A live pid with a silent port may be a
  // reused pid after a reboot, so the store lock decides then.
  if (previous && previous.pid !== process.pid && pidAlive(previous.pid) && (await portAnswers(previous.port))) {
    throw new AppError("conflict", `A DB host already runs for ${dataDir} (pid ${previous.pid}, ${previous.url})`);
  }
  const engine = await openStore(dataDir);
  const secret = previous?.secret ?? newSecret();
  const owners = new Map<string, HostConnection>();
  const shared: HostShared = {
    engine,
    secret,
    token: createHash("sha256").update(`podcast-mcp-db-host-token:${secret}`).digest("base64url"),
    log,
    owners,
  };

  const server = createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain" }).end("SurrealDB RPC over WebSocket at /rpc\n");
  });
  const wss = new WebSocketServer({
    server,
    path: "/rpc",
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (protocols) => (protocols.has("cbor") ? "cbor" : false),
    // Browsers send Origin; no web page has any business with this port.
    verifyClient: ({ req }: { req: IncomingMessage }) => req.headers.origin === undefined,
  });
  // The server's own errors (a taken port while listening) are re-emitted here; listen() reports them.
  wss.on("error", (err) => log.debug({ err }, "db host: server error"));
  const connections = new Set<HostConnection>();
  wss.on("connection", (ws: WebSocket) => {
    if (ws.protocol !== "cbor") {
      ws.close(1002, "only the cbor subprotocol is served");
      return;
    }
    const conn = new HostConnection(shared, (data) => ws.send(data));
    connections.add(conn);
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      const bytes = isBinary ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new TextEncoder().encode(data.toString());
      void conn.handle(bytes);
    });
    ws.on("close", () => {
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
      log.warn({ port: wanted }, "db host: previous port is taken; clients of the old host must reconnect from the state file");
      port = await listen(server, 0);
    }
  } catch (err) {
    engine.free();
    throw new AppError("internal", `The DB host could not listen on ${LOOPBACK}:${opts.port ?? previous?.port ?? 0}: ${(err as Error).message}`, { cause: err });
  }

  const url = `ws://${LOOPBACK}:${port}`;
  const state: HostState = { port, pid: process.pid, secret, url, started: new Date().toISOString() };
  await writeHostState(dataDir, state);
  void pumpNotifications(engine, owners, log).catch((err: unknown) => log.error({ err }, "db host: notification stream failed"));
  log.info({ url, dataDir, tookOver: previous !== undefined }, "db host: listening");

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const ws of wss.clients) ws.terminate();
      await Promise.all([...connections].map((c) => c.close()));
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      engine.free();
      await removeHostState(dataDir, process.pid);
      log.info({ url }, "db host: stopped");
    })());
  return { url, port, secret, stop };
}
