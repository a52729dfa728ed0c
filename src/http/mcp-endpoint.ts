// /mcp for every client era. 2026-07-28 requests (per-request envelope) go to the SDK's handler, which
// makes one McpServer per request and serves subscriptions/listen streams from its event bus; 2025-era
// requests (isLegacyRequest: no envelope, and every GET/DELETE) go to the session table.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createMcpHandler, isLegacyRequest, type McpServer } from "@modelcontextprotocol/server";
import { toNodeHandler } from "@modelcontextprotocol/node";
import type { Logger } from "../log.js";
import type { SubscriptionHub } from "../resources/subscriptions.js";
import { LegacySessions, type SessionLimits } from "./sessions.js";

export interface McpEndpoint {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  readonly sessions: LegacySessions;
  close(): Promise<void>;
}

export interface McpEndpointOptions {
  /** A new McpServer; `hub` given when the instance lives for a session and must hear about changes. */
  build(hub: SubscriptionHub | undefined, era: "legacy" | "modern"): McpServer;
  hub: SubscriptionHub;
  log: Logger;
  limits?: SessionLimits;
}

export function createMcpEndpoint(opts: McpEndpointOptions): McpEndpoint {
  const { hub, log } = opts;
  const modern = createMcpHandler((ctx) => opts.build(undefined, ctx.era), {
    legacy: "reject",
    onerror: (err) => log.debug({ err }, "mcp http"),
  });
  // Job and episode changes reach 2026-era clients on their subscriptions/listen streams; 2025-era
  // sessions are attached to the hub one by one.
  hub.addSink({
    updated: (uri) => modern.notify.resourceUpdated(uri),
    listChanged: () => modern.notify.resourcesChanged(),
  });
  const sessions = new LegacySessions(
    () => opts.build(hub, "legacy"),
    () => opts.build(undefined, "legacy"),
    log,
    opts.limits,
  );
  const node = toNodeHandler(
    { fetch: async (request) => ((await isLegacyRequest(request)) ? sessions.fetch(request) : modern.fetch(request)) },
    { onerror: (err) => log.warn({ err }, "mcp http adapter") },
  );
  return {
    sessions,
    async handle(req, res) {
      const sid = req.headers["mcp-session-id"];
      const release = sessions.hold(typeof sid === "string" ? sid : undefined);
      res.once("close", release);
      await node(req, res);
    },
    async close() {
      await sessions.close();
      await modern.close().catch(() => {});
    },
  };
}
