// "Behind a proxy": the server binds loopback and PODCAST_MCP_ALLOWED_HOSTS names the public host a
// reverse proxy forwards. The callers are other machines, so this is remote exposure: no start without
// a token, no request without it, no local files or private URLs even with it. The proxy here is a
// real one on loopback that rewrites Host and sets X-Forwarded-Proto, as nginx or Caddy would.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { cleanEnv, spawnCli, stopAll, stopProc, tmpDataDir, waitFor, type Proc } from "../helpers/procs.js";
import { errorText, stopDaemon } from "../helpers/mcp.js";

const PUBLIC_HOST = "podcasts.example.com";
const TOKEN = "proxy-token-7";
let dataDir: string;
let server: Proc;
let serverPort = 0;
let proxy: http.Server;
let proxyUrl = "";

function raw(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, headers }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  dataDir = tmpDataDir();
  server = spawnCli(
    ["serve", "--http", "--port", "0"],
    cleanEnv({ PODCAST_MCP_DATA_DIR: dataDir, PODCAST_MCP_ALLOWED_HOSTS: PUBLIC_HOST, PODCAST_MCP_TOKEN: TOKEN }),
  );
  serverPort = Number(
    new URL(await waitFor(() => /listening on (http:\/\/\S+)\/mcp/.exec(server.stderr())?.[1], 60_000)).port,
  );
  proxy = http.createServer((req, res) => {
    const up = http.request(
      {
        host: "127.0.0.1",
        port: serverPort,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: PUBLIC_HOST, "x-forwarded-proto": "https" },
      },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise((r) => proxy?.close(r));
  if (server) await stopProc(server);
  await stopDaemon(dataDir);
  await stopAll();
});

describe("behind a proxy", () => {
  it("refuses to start without a token, saying why", async () => {
    const p = spawnCli(
      ["serve", "--http", "--port", "0"],
      cleanEnv({ PODCAST_MCP_DATA_DIR: dataDir, PODCAST_MCP_ALLOWED_HOSTS: PUBLIC_HOST }),
    );
    const { code } = await p.exited;
    expect(code).toBe(2);
    expect(p.stderr()).toMatch(/PODCAST_MCP_TOKEN.*podcasts\.example\.com.*proxy/);
  });

  it("a forwarded request needs the token", async () => {
    expect((await fetch(`${proxyUrl}/feed.xml`)).status).toBe(401);
    const init = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } },
    };
    const post = (headers: Record<string, string>) =>
      fetch(`${proxyUrl}/mcp`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
        body: JSON.stringify(init),
      });
    expect((await post({})).status).toBe(401);
    const ok = await post({ authorization: `bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    await ok.body?.cancel();
  });

  it("even with the token, local files and loopback URLs are refused", async () => {
    const client = new Client({ name: "proxied", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${proxyUrl}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
      }),
    );
    const file = await client.callTool({
      name: "generate_podcast",
      arguments: { episode_profile: "tech_discussion", episode_name: "x", sources: [{ file: "/etc/hostname" }] },
    });
    expect(errorText(file)).toMatch(/sources\[0\]\.file: local files are not read/);
    const url = await client.callTool({
      name: "generate_podcast",
      arguments: {
        episode_profile: "tech_discussion",
        episode_name: "x",
        sources: [{ url: `http://127.0.0.1:${serverPort}/health` }],
      },
    });
    expect(errorText(url)).toMatch(/private or loopback address/);
    await client.close();
  });

  it("builds the feed's URLs from the forwarded host and scheme", async () => {
    const feed = await fetch(`${proxyUrl}/feed.xml?token=${TOKEN}`);
    expect(feed.status).toBe(200);
    const xml = await feed.text();
    expect(xml).toContain(`<atom:link href="https://${PUBLIC_HOST}/feed.xml?token=${TOKEN}" rel="self"`);
    expect(xml).toContain(`<itunes:image href="https://${PUBLIC_HOST}/cover.png?token=${TOKEN}"/>`);
  });

  it("parses Host strictly: junk after a loopback or allowed name is refused, not copied into URLs", async () => {
    for (const host of [`127.0.0.1:80@evil.com`, `${PUBLIC_HOST}:443@evil.com`, `${PUBLIC_HOST}/x`, `evil.com`]) {
      const res = await raw(serverPort, `/feed.xml?token=${TOKEN}`, { host });
      expect(res.status, host).toBe(403);
      expect(res.body).not.toContain("<rss");
    }
    expect((await raw(serverPort, `/feed.xml?token=${TOKEN}`, { host: `${PUBLIC_HOST}:443` })).status).toBe(200);
  });
});
