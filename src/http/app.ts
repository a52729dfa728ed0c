// The HTTP face: Streamable HTTP MCP at /mcp, the episode files with validators and byte ranges, the
// show's cover and an RSS feed for podcast apps.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ServerDeps } from "../server.js";
import type { SubscriptionHub } from "../resources/subscriptions.js";
import { buildMcpServer } from "../server.js";
import { coverPng } from "../artwork/cover.js";
import { checkRequest, type GuardOptions } from "./guard.js";
import { createMcpEndpoint } from "./mcp-endpoint.js";
import type { SessionLimits } from "./sessions.js";
import { sendFile } from "./send-file.js";
import { bufferSource } from "./served-file.js";
import { matchEpisodeFile, openEpisodeFile } from "./episode-files.js";
import { renderFeed } from "./feed.js";
import { requestBaseUrl } from "./public-url.js";
import { AppError } from "../errors.js";
import { bareKey } from "../core/ids.js";

export interface HttpServerHandle {
  /** The bound address, e.g. http://127.0.0.1:3333 (the port is the real one when 0 was asked). */
  url: string;
  /** 2025-era sessions open now. */
  sessionCount(): number;
  close(): Promise<void>;
}

export interface HttpOptions extends GuardOptions {
  port: number;
  sessionLimits?: SessionLimits;
  /** > 0: episode files answer with a redirect to a presigned URL valid this long (S3-compatible stores). */
  redirectSeconds?: number;
}

const json = (res: http.ServerResponse, status: number, body: unknown) =>
  void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

export async function startHttpServer(
  deps: ServerDeps,
  hub: SubscriptionHub,
  opts: HttpOptions,
): Promise<HttpServerHandle> {
  const mcp = createMcpEndpoint({
    build: (h, era) => buildMcpServer(deps, h, era),
    hub,
    log: deps.log,
    ...(opts.sessionLimits ? { limits: opts.sessionLimits } : {}),
  });
  const startedAt = new Date();
  // Podcast apps cannot send headers, so the feed's URLs carry the token; whoever read the feed sent it.
  const tokenQuery = opts.token ? `?token=${encodeURIComponent(opts.token)}` : "";

  async function feed(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const base = requestBaseUrl(req.headers.host, req.headers["x-forwarded-proto"] as string | undefined);
    if (!base) return json(res, 400, { error: "Host: must be host[:port]" });
    const episodes = await deps.podcasts.feedEpisodes();
    const episodeUrl = (id: string, file: string) => `${base}/episodes/${bareKey("episode", id)}/${file}${tokenQuery}`;
    const xml = renderFeed({
      title: "podcast-mcp",
      description: "Episodes made by podcast-mcp",
      link: `${base}/feed.xml${tokenQuery}`,
      selfUrl: `${base}/feed.xml${tokenQuery}`,
      imageUrl: `${base}/cover.png${tokenQuery}`,
      episodes: episodes.map((e) => ({
        ...e,
        audioUrl: episodeUrl(e.id, "audio.mp3"),
        transcriptUrl: episodeUrl(e.id, "transcript.vtt"),
        chaptersUrl: episodeUrl(e.id, "chapters.json"),
      })),
    });
    // Tagged by content so apps that poll the feed revalidate with If-None-Match and get 304s.
    await sendFile(req, res, bufferSource(Buffer.from(xml), new Date()), "application/rss+xml; charset=utf-8");
  }

  const server = http.createServer(async (req, res) => {
    try {
      // A query token is accepted too: podcast apps cannot send headers.
      const url = new URL(req.url ?? "/", "http://localhost");
      const qToken = url.searchParams.get("token");
      if (qToken && !req.headers.authorization) req.headers.authorization = `Bearer ${qToken}`;
      const denied = checkRequest(req, opts);
      if (denied) return json(res, denied[0], { error: denied[1] });
      if (url.pathname === "/mcp") return void (await mcp.handle(req, res));
      if (req.method !== "GET" && req.method !== "HEAD") return void res.writeHead(405, { allow: "GET, HEAD" }).end();
      if (url.pathname === "/health") return json(res, 200, { ok: true });
      if (url.pathname === "/feed.xml") return void (await feed(req, res));
      if (url.pathname === "/cover.png")
        return void (await sendFile(req, res, bufferSource(coverPng(), startedAt), "image/png"));
      const ep = matchEpisodeFile(url.pathname);
      if (ep) {
        const found = await openEpisodeFile(deps.podcasts, ep.id, ep.name, opts.redirectSeconds ?? 0);
        if ("redirect" in found)
          return void res.writeHead(302, { location: found.redirect, "cache-control": "no-store" }).end();
        return void (await sendFile(req, res, found.file, found.mime));
      }
      json(res, 404, { error: "not found" });
    } catch (err) {
      const status = err instanceof AppError && (err.kind === "not_found" || err.kind === "invalid_input") ? 404 : 500;
      if (status === 500) deps.log.error({ err }, "http request failed");
      if (!res.headersSent) res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: err instanceof Error ? err.message : String(err) }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${hostForUrl}:${port}`,
    sessionCount: () => mcp.sessions.size,
    close: async () => {
      await mcp.close().catch(() => {});
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
