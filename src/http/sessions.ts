// Sessions for 2025-era clients (protocol 2025-06-18 / 2025-11-25: the v1 SDK, mcp-remote, mcpc, the
// conformance suite) over Streamable HTTP. Served statelessly they got -32601 for resources/subscribe
// and 405 for GET /mcp, so a subscription had nowhere to go. Here `initialize` opens a session
// (Mcp-Session-Id) with its own McpServer, pinned like a stdio connection: resources/subscribe is
// tracked by the SubscriptionHub, updates and list changes go out on the session's GET event stream,
// DELETE ends it. A request without a session id that is not `initialize` is still answered
// statelessly, as before, for clients that never kept one.
import { randomUUID } from "node:crypto";
import {
  isInitializeRequest,
  legacyStatelessFallback,
  WebStandardStreamableHTTPServerTransport,
  type McpServer,
  type McpServerFactory,
} from "@modelcontextprotocol/server";
import type { Logger } from "../log.js";

/**
 * Open sessions at most; `initialize` beyond it gets 503 until one ends or expires. Measured: 66 KiB
 * of heap and ~45 ms (building the McpServer) per session on a busy 2-core machine, so 100 cost
 * ~7 MB, far more clients than one person's agents open.
 */
export const MAX_SESSIONS = 100;
/** A session with no request in flight and no open event stream for this long is closed. */
export const SESSION_IDLE_MS = 30 * 60_000;

export interface SessionLimits {
  maxSessions: number;
  idleMs: number;
}

interface Session {
  server: McpServer;
  transport: WebStandardStreamableHTTPServerTransport;
  /** Requests in flight, the GET event stream included: a session that listens is not idle. */
  open: number;
  lastSeen: number;
}

function rpcError(status: number, code: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status, headers });
}

export class LegacySessions {
  readonly #sessions = new Map<string, Session>();
  readonly #stateless;
  readonly #sweeper: NodeJS.Timeout;
  /** Sessions being set up (between the check and their registration), so concurrent initializes count. */
  #opening = 0;

  readonly #sessionServer: () => McpServer | Promise<McpServer>;
  readonly #log: Logger;
  readonly #limits: SessionLimits;
  constructor(
    /** A new McpServer for one session (attached to the hub by the caller's factory). */
    sessionServer: () => McpServer | Promise<McpServer>,
    statelessServer: McpServerFactory,
    log: Logger,
    limits: SessionLimits = { maxSessions: MAX_SESSIONS, idleMs: SESSION_IDLE_MS },
  ) {
    this.#limits = limits;
    this.#log = log;
    this.#sessionServer = sessionServer;
    this.#stateless = legacyStatelessFallback(statelessServer, (err) => log.debug({ err }, "mcp http stateless"));
    this.#sweeper = setInterval(() => this.sweep(), Math.min(60_000, Math.max(50, limits.idleMs / 4))).unref();
  }

  get size(): number {
    return this.#sessions.size;
  }

  /**
   * Marks a request on a session as begun (before it is served); the returned function marks it ended.
   * Called with the raw header so an event stream held open keeps its session alive.
   */
  hold(sessionId: string | undefined): () => void {
    const s = sessionId ? this.#sessions.get(sessionId) : undefined;
    if (!s) return () => {};
    s.open++;
    s.lastSeen = Date.now();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      s.open--;
      s.lastSeen = Date.now();
    };
  }

  async fetch(request: Request): Promise<Response> {
    const method = request.method.toUpperCase();
    if (method !== "GET" && method !== "POST" && method !== "DELETE") {
      return rpcError(405, -32000, "Method not allowed.", { allow: "GET, POST, DELETE" });
    }
    const id = request.headers.get("mcp-session-id");
    if (id) {
      const s = this.#sessions.get(id);
      // 404 tells a 2025 client to start a new session (spec: session management).
      if (!s) return rpcError(404, -32001, "Session not found");
      s.lastSeen = Date.now();
      return s.transport.handleRequest(request);
    }
    if (method !== "POST") return rpcError(400, -32000, "Bad Request: Mcp-Session-Id header is required");
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      return rpcError(400, -32700, "Parse error: Invalid JSON");
    }
    if (!isInitializeRequest(body)) return this.#stateless(request, { parsedBody: body });
    return this.#open(request, body);
  }

  async #open(request: Request, body: unknown): Promise<Response> {
    this.sweep();
    if (this.#sessions.size + this.#opening >= this.#limits.maxSessions) {
      this.#log.warn({ sessions: this.#sessions.size }, "MCP session limit reached: initialize refused");
      return rpcError(
        503,
        -32000,
        `Too many open sessions (${this.#limits.maxSessions}): end one with DELETE or retry later`,
        { "retry-after": "60" },
      );
    }
    this.#opening++;
    try {
      return await this.#serveInitialize(request, body);
    } finally {
      this.#opening--;
    }
  }

  async #serveInitialize(request: Request, body: unknown): Promise<Response> {
    const server = await this.#sessionServer();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => {
        this.#sessions.set(sid, { server, transport, open: 0, lastSeen: Date.now() });
        // However the session ends (DELETE, expiry, shutdown), it leaves the table.
        const prev = server.server.onclose;
        server.server.onclose = () => {
          this.#sessions.delete(sid);
          prev?.();
        };
      },
    });
    transport.onerror = (err) => this.#log.debug({ err }, "mcp http session");
    await server.connect(transport);
    const response = await transport.handleRequest(request, { parsedBody: body });
    // Refused before a session began (406, 415…): nothing will ever close this instance but us.
    if (transport.sessionId === undefined) await server.close().catch(() => {});
    return response;
  }

  /** Closes sessions idle for longer than the limit (run on a timer; exposed for tests). */
  sweep(now = Date.now()): void {
    for (const [sid, s] of this.#sessions) {
      if (s.open > 0 || now - s.lastSeen < this.#limits.idleMs) continue;
      this.#sessions.delete(sid);
      this.#log.debug({ session: sid }, "MCP session expired");
      s.server.close().catch((err: unknown) => this.#log.debug({ err }, "session close"));
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    const all = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(all.map((s) => s.server.close().catch(() => {})));
  }
}
