// The HTTP face: Streamable HTTP MCP at /mcp, the episode audio with byte ranges, and an RSS feed.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createMcpHandler } from "@modelcontextprotocol/server";
import { toNodeHandler } from "@modelcontextprotocol/node";
import type { ToolDeps } from "../tools/deps.js";
import type { SubscriptionHub } from "../resources/subscriptions.js";
import { buildMcpServer } from "../server.js";
import { checkRequest, type GuardOptions } from "./guard.js";
import { serveFile } from "./audio.js";
import { renderFeed } from "./feed.js";
import { AppError } from "../errors.js";
import { bareKey } from "../resources/uris.js";
import { RECORD_KEY } from "../db/record-key.js";

export interface HttpServerHandle {
  url: string;
  close(): Promise<void>;
}

const AUDIO_PATH = new RegExp(`^/episodes/((?:episode:)?${RECORD_KEY})/audio\\.mp3$`);

export async function startHttpServer(deps: ToolDeps, hub: SubscriptionHub, guard: GuardOptions & { port: number }): Promise<HttpServerHandle> {
  const mcp = createMcpHandler((ctx) => buildMcpServer(deps, undefined, ctx.era), {
    legacy: "stateless",
    onerror: (err) => deps.log.debug({ err }, "mcp http"),
  });
  // Job and episode changes reach 2026-era clients on their subscriptions/listen streams.
  hub.addSink({ updated: (uri) => mcp.notify.resourceUpdated(uri), listChanged: () => mcp.notify.resourcesChanged() });
  const mcpNode = toNodeHandler(mcp, { onerror: (err) => deps.log.warn({ err }, "mcp http adapter") });

  const server = http.createServer(async (req, res) => {
    try {
      // A query token is accepted too: podcast apps cannot send headers.
      const url = new URL(req.url ?? "/", "http://localhost");
      const qToken = url.searchParams.get("token");
      if (qToken && !req.headers.authorization) req.headers.authorization = `Bearer ${qToken}`;
      const denied = checkRequest(req, guard);
      if (denied) {
        res.writeHead(denied[0], { "content-type": "application/json" }).end(JSON.stringify({ error: denied[1] }));
        return;
      }
      if (url.pathname === "/mcp") return void (await mcpNode(req, res));
      if (req.method !== "GET" && req.method !== "HEAD") return void res.writeHead(405, { allow: "GET, HEAD" }).end();
      if (url.pathname === "/health") return void res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
      const audio = AUDIO_PATH.exec(url.pathname);
      if (audio) {
        const file = await deps.podcasts.artifactPath(audio[1]!, "mp3");
        return void (await serveFile(req, res, file, "audio/mpeg"));
      }
      if (url.pathname === "/feed.xml") {
        const base = `http://${req.headers.host}`;
        const suffix = qToken ? `?token=${encodeURIComponent(qToken)}` : "";
        const episodes = await deps.podcasts.feedEpisodes();
        const xml = renderFeed({
          title: "podcast-mcp",
          link: `${base}/feed.xml`,
          description: "Episodes made by podcast-mcp",
          episodes: episodes.map((e) => ({ ...e, audioUrl: `${base}/episodes/${bareKey("episode", e.id)}/audio.mp3${suffix}` })),
        });
        return void res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" }).end(xml);
      }
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
    } catch (err) {
      const status = err instanceof AppError && (err.kind === "not_found" || err.kind === "invalid_input") ? 404 : 500;
      if (status === 500) deps.log.error({ err }, "http request failed");
      if (!res.headersSent) res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: err instanceof Error ? err.message : String(err) }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(guard.port, guard.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = guard.host.includes(":") ? `[${guard.host}]` : guard.host;
  return {
    url: `http://${hostForUrl}:${port}`,
    close: async () => {
      await mcp.close().catch(() => {});
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
