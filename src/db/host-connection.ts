// One WebSocket client of the local DB host. Each connection gets its own engine session (its own
// namespace, database and variables), as with a real server; sessions the client creates itself
// (SDK `newSession`, sent as `attach` with a uuid) belong to it alone. Its live queries are killed
// and its sessions detached when it goes: the engine keeps both alive otherwise.
//
// Before sign-in nothing reaches the engine. The SDK, restoring a session after a reconnect, sends
// `version`, then `use` and one `let` per variable, and only then `signin` (its controller's
// #onConnected/#restoreSession; `attach` of its own sessions comes after the first session signed
// in). So before sign-in the host answers `ping` and `version` itself, remembers `use`/`let`/`unset`
// (bounded in number, and in bytes by the socket guard in host.ts) and replays them into the
// connection's session once the client has signed in; everything else is refused.
import { timingSafeEqual } from "node:crypto";
import type { Logger } from "../log.js";
import { Uuid } from "surrealdb";
import { rewordDiskFull } from "./disk-full.js";
import { limitMessage, type HostLimits } from "./host-limits.js";
import type { NativeEngine } from "./native.js";
import {
  codec,
  errorResponse,
  isEngineError,
  resultResponse,
  wrapNotification,
  wrapResponse,
  type RpcErrorBody,
} from "./rpc-envelope.js";

/** What every connection of one host shares. */
export interface HostShared {
  engine: NativeEngine;
  secret: string;
  /** Returned by a good `signin`; `authenticate` with it also signs in. */
  token: string;
  /** The engine's answer to `version`, asked once at start, so `version` before sign-in costs nothing. */
  version: unknown;
  limits: HostLimits;
  /** `<dataDir>/db`, named in disk-full errors. */
  storeDir: string;
  log: Logger;
  /** session uuid → the connection that owns it, so notifications reach only their owner. */
  owners: Map<string, HostConnection>;
  /** Called with the engine's message when a write failed for want of disk space. */
  onDiskFull(message: string): void;
}

export interface RpcRequest {
  id?: unknown;
  method?: unknown;
  params?: unknown;
  session?: unknown;
  txn?: unknown;
}

/** Remembered before sign-in and replayed after it: what the SDK sends while restoring a session. */
const DEFERRED = new Set(["use", "let", "unset"]);
const NOT_SUPPORTED = new Set(["signup", "refresh", "revoke"]);

const AUTH_FAILED: RpcErrorBody = {
  code: -32002,
  kind: "NotAllowed",
  message:
    "There was a problem with authentication: the local DB host takes user root and the secret from db-host.json",
};
const NOT_SIGNED_IN: RpcErrorBody = {
  code: -32002,
  kind: "NotAllowed",
  message: "Not signed in: sign in to the local DB host as root with the secret from db-host.json",
};

function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class HostConnection {
  readonly defaultSession = Uuid.v4();
  readonly #sessions = new Set<string>();
  /** live query id → session it runs in, to kill it when the connection goes. */
  readonly #lives = new Map<string, Uuid>();
  #signedIn = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  /** Requests still running: cleanup waits for them, so a live query or session they create is not leaked. */
  readonly #inflight = new Set<Promise<void>>();
  /** Until sign-in, requests run one after another, so nothing overtakes the sign-in it follows. */
  #queue: Promise<void> = Promise.resolve();
  readonly #deferred: RpcRequest[] = [];
  #preAuthRequests = 0;

  readonly #shared: HostShared;
  readonly #send: (data: Uint8Array) => void;
  readonly #onSignedIn: () => void;
  constructor(
    shared: HostShared,
    send: (data: Uint8Array) => void,
    /** Called once, when the connection first signs in. */
    onSignedIn: () => void = () => {},
  ) {
    this.#onSignedIn = onSignedIn;
    this.#send = send;
    this.#shared = shared;
  }

  get authenticated(): boolean {
    return this.#signedIn;
  }

  async #exec(req: RpcRequest): Promise<Uint8Array> {
    return this.#shared.engine.execute(codec.encode(req) as Uint8Array);
  }

  async #attach(session: Uuid): Promise<void> {
    const raw = await this.#exec({ id: "host", method: "attach", session });
    if (isEngineError(raw)) throw new Error(`attach failed: ${JSON.stringify(codec.decode(raw))}`);
    this.#sessions.add(session.toString());
    this.#shared.owners.set(session.toString(), this);
  }

  /** One raw WebSocket message in, one response out (sent when ready, in any order, like the server). */
  async handle(data: Uint8Array): Promise<void> {
    let req: RpcRequest;
    try {
      req = codec.decode(data) as RpcRequest;
      if (typeof req !== "object" || req === null || typeof req.method !== "string")
        throw new Error("not an RPC request");
    } catch {
      this.#reply(
        errorResponse(null, {
          code: -32700,
          kind: "Validation",
          message: "Parse error: expected a CBOR RPC request {id, method, params}",
        }),
      );
      return;
    }
    if (this.#closed) return;
    let run: Promise<void>;
    if (this.#signedIn) run = this.#run(req);
    else {
      run = this.#queue.then(() => this.#run(req));
      this.#queue = run;
    }
    this.#inflight.add(run);
    await run;
    this.#inflight.delete(run);
  }

  async #run(req: RpcRequest): Promise<void> {
    try {
      this.#reply(this.#signedIn ? await this.#dispatch(req) : await this.#beforeSignin(req));
    } catch (err) {
      this.#shared.log.warn({ err, method: req.method }, "db host: request failed");
      const message = `The local DB host failed: ${(err as Error).message}`;
      this.#reply(errorResponse(req.id, { code: -32000, kind: "Internal", message }));
    }
  }

  #reply(data: Uint8Array): void {
    if (!this.#closed) this.#send(data);
  }

  async #beforeSignin(req: RpcRequest): Promise<Uint8Array> {
    const method = req.method as string;
    if (method === "signin" || method === "authenticate") return this.#signin(req);
    if (++this.#preAuthRequests > this.#shared.limits.preAuthRequests) {
      const message = limitMessage.preAuthRequests(this.#shared.limits.preAuthRequests);
      return errorResponse(req.id, { code: -32002, kind: "NotAllowed", message });
    }
    if (method === "ping") return resultResponse(req.id, null);
    if (method === "version") return resultResponse(req.id, this.#shared.version);
    const ownSession = req.session === undefined || req.session === null;
    if (!DEFERRED.has(method) || !ownSession) return errorResponse(req.id, NOT_SIGNED_IN);
    this.#deferred.push({ method, params: req.params });
    return resultResponse(req.id, null);
  }

  async #signin(req: RpcRequest): Promise<Uint8Array> {
    const params = Array.isArray(req.params) ? (req.params as unknown[]) : [];
    let ok: boolean;
    let result: unknown = null;
    if (req.method === "signin") {
      const auth = params[0] as { user?: unknown; pass?: unknown } | undefined;
      ok = auth?.user === "root" && sameSecret(auth.pass, this.#shared.secret);
      result = this.#shared.token;
    } else {
      ok = sameSecret(params[0], this.#shared.token);
    }
    if (!ok) return errorResponse(req.id, AUTH_FAILED);
    if (!this.#sessions.has(this.defaultSession.toString())) await this.#attach(this.defaultSession);
    // What the client set up before signing in, in its order, into its own session.
    for (const d of this.#deferred.splice(0)) {
      const raw = await this.#exec({ id: "host", method: d.method, params: d.params, session: this.defaultSession });
      if (isEngineError(raw)) return wrapResponse(req.id, raw);
    }
    this.#signedIn = true;
    this.#onSignedIn();
    return resultResponse(req.id, result);
  }

  async #dispatch(req: RpcRequest): Promise<Uint8Array> {
    const method = req.method as string;
    const params = Array.isArray(req.params) ? (req.params as unknown[]) : [];
    if (NOT_SUPPORTED.has(method)) {
      return errorResponse(req.id, {
        code: -32601,
        kind: "NotAllowed",
        message: `Method not supported by the local DB host: ${method}`,
      });
    }
    switch (method) {
      case "ping":
        return resultResponse(req.id, null);
      case "signin":
      case "authenticate":
        return this.#signin(req);
      case "invalidate":
        this.#signedIn = false;
        this.#preAuthRequests = 0;
        return resultResponse(req.id, null);
    }

    const session = req.session === undefined || req.session === null ? this.defaultSession : req.session;
    if (!(session instanceof Uuid))
      return errorResponse(req.id, { code: -32602, kind: "Validation", message: "session: must be a uuid" });
    const sessionKey = session.toString();
    const owner = this.#shared.owners.get(sessionKey);
    if (method === "attach") {
      if (owner)
        return errorResponse(req.id, {
          code: -32000,
          kind: "AlreadyExists",
          message: `Session already attached: ${sessionKey}`,
        });
      if (this.#sessions.size >= this.#shared.limits.maxSessions) {
        const message = limitMessage.sessions(this.#shared.limits.maxSessions);
        return errorResponse(req.id, { code: -32000, kind: "NotAllowed", message });
      }
      await this.#attach(session);
      return resultResponse(req.id, null);
    }
    if (owner !== this)
      return errorResponse(req.id, { code: -32000, kind: "NotFound", message: `Session not found: ${sessionKey}` });
    if (method === "detach") {
      if (sessionKey === this.defaultSession.toString())
        return errorResponse(req.id, {
          code: -32602,
          kind: "Validation",
          message: "session: the connection's own session cannot be detached",
        });
      await this.#release(session);
      return resultResponse(req.id, null);
    }
    if (method === "sessions") {
      return resultResponse(
        req.id,
        [...this.#sessions].filter((s) => s !== this.defaultSession.toString()).map((s) => new Uuid(s)),
      );
    }

    let raw = await this.#exec({ ...req, session });
    const full = rewordDiskFull(raw, this.#shared.storeDir);
    if (full) {
      this.#shared.onDiskFull(full.original);
      raw = full.raw;
    }
    if (!isEngineError(raw)) this.#track(method, params, raw, session);
    return wrapResponse(req.id, raw);
  }

  /** Remembers live queries this connection starts and forgets the ones it kills. */
  #track(method: string, params: unknown[], raw: Uint8Array, session: Uuid): void {
    if (method === "live") {
      const id = codec.decode(raw);
      if (id instanceof Uuid) this.#lives.set(id.toString(), session);
    } else if (method === "kill") {
      this.#lives.delete(String(params[0]));
    } else if (method === "query" && typeof params[0] === "string" && /\blive\b/i.test(params[0])) {
      // Only queries that mention LIVE are decoded: the rest pass through as bytes.
      const results = codec.decode(raw) as Array<{ type?: unknown; result?: unknown }>;
      if (!Array.isArray(results)) return;
      for (const r of results)
        if (r.type === "live" && r.result instanceof Uuid) this.#lives.set(r.result.toString(), session);
    }
  }

  /** A live notification for one of this connection's sessions. */
  notify(raw: Uint8Array): void {
    this.#reply(wrapNotification(raw));
  }

  /** Kills the session's live queries and detaches it. */
  async #release(session: Uuid): Promise<void> {
    const key = session.toString();
    for (const [live, s] of [...this.#lives]) {
      if (s.toString() !== key) continue;
      this.#lives.delete(live);
      await this.#exec({ id: "host", method: "kill", params: [new Uuid(live)], session });
    }
    await this.#exec({ id: "host", method: "detach", session });
    this.#sessions.delete(key);
    if (this.#shared.owners.get(key) === this) this.#shared.owners.delete(key);
  }

  /** The socket is gone: clean up everything it held in the engine. */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= (async () => {
      await Promise.allSettled([...this.#inflight]);
      for (const key of [...this.#sessions]) {
        await this.#release(new Uuid(key)).catch((err: unknown) =>
          this.#shared.log.debug({ err }, "db host: session cleanup failed"),
        );
      }
    })();
    return this.#closing;
  }
}
