// 2025-era sessions on the real /mcp endpoint (SDK transports, the SubscriptionHub, node:http), with a
// small McpServer and small limits so DELETE, idle expiry and the session cap can be seen in seconds.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { McpServer } from "@modelcontextprotocol/server";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { silentLogger } from "../../src/log.js";
import { SubscriptionHub } from "../../src/resources/subscriptions.js";
import { createMcpEndpoint, type McpEndpoint } from "../../src/http/mcp-endpoint.js";
import { waitFor } from "../helpers/procs.js";

const URI = "test://thing";

function build(hub: SubscriptionHub | undefined, era: "legacy" | "modern"): McpServer {
  const server = new McpServer(
    { name: "t", version: "1" },
    { capabilities: { resources: { subscribe: true, listChanged: true } } },
  );
  server.registerResource("thing", URI, { mimeType: "text/plain" }, async (uri) => ({
    contents: [{ uri: uri.href, text: "x" }],
  }));
  hub?.attach(server, era);
  return server;
}

let server: http.Server;
let endpoint: McpEndpoint;
let hub: SubscriptionHub;
let url = "";
const clients: Client[] = [];

async function start(limits: { maxSessions: number; idleMs: number }) {
  hub = new SubscriptionHub(silentLogger);
  endpoint = createMcpEndpoint({ build, hub, log: silentLogger, limits });
  server = http.createServer((req, res) => void endpoint.handle(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

beforeEach(() => {
  clients.length = 0;
});

afterEach(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  await endpoint.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function connectV1(): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: "v1", version: "1" });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  clients.push(client);
  return { client, transport };
}

/** A bare 2025 client: initialize by hand, no GET stream. Returns the session id and HTTP status. */
async function rawInitialize(): Promise<{ status: number; sid: string | null }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    }),
  });
  await res.body?.cancel();
  return { status: res.status, sid: res.headers.get("mcp-session-id") };
}

async function rawPing(sid: string): Promise<number> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-session-id": sid,
      "mcp-protocol-version": "2025-06-18",
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "ping" }),
  });
  await res.body?.cancel();
  return res.status;
}

describe("2025-era sessions over Streamable HTTP", () => {
  it("subscribe works and updates arrive on the GET stream; DELETE ends the session", async () => {
    await start({ maxSessions: 10, idleMs: 60_000 });
    const { client, transport } = await connectV1();
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const got: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void got.push(n.params.uri));
    await client.subscribeResource({ uri: URI });
    await waitFor(() => endpoint.sessions.size === 1);
    // the GET stream opens after initialization; send until one arrives
    await waitFor(
      () => {
        hub.updated([URI, "test://other"]);
        return got.length > 0;
      },
      10_000,
      100,
    );
    expect(new Set(got)).toEqual(new Set([URI])); // only what this session subscribed to
    await client.unsubscribeResource({ uri: URI });
    const seen = got.length;
    hub.updated([URI]);
    await client.ping(); // a round trip after the update: it would have arrived by now
    expect(got.length).toBe(seen);

    const sid = transport.sessionId!;
    await transport.terminateSession();
    expect(endpoint.sessions.size).toBe(0);
    expect(hub.size).toBe(0);
    expect(await rawPing(sid)).toBe(404);
  });

  it("GET without a session id is refused, an unknown one is 404", async () => {
    await start({ maxSessions: 10, idleMs: 60_000 });
    const noId = await fetch(url, { headers: { accept: "text/event-stream" } });
    expect(noId.status).toBe(400);
    const unknown = await fetch(url, { headers: { accept: "text/event-stream", "mcp-session-id": "nope" } });
    expect(unknown.status).toBe(404);
  });

  it("closes a session idle past the limit, but not one whose event stream is open", async () => {
    // The sweep is run by hand with a clock moved past the limit: no race with a busy machine.
    await start({ maxSessions: 10, idleMs: 60_000 });
    const { client } = await connectV1();
    const got: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void got.push(n.params.uri));
    await client.subscribeResource({ uri: URI });
    await waitFor(
      () => {
        hub.updated([URI]);
        return got.length > 0; // its GET stream is open now
      },
      10_000,
      100,
    );
    const idle = await rawInitialize();
    expect(idle.status).toBe(200);
    expect(endpoint.sessions.size).toBe(2);
    endpoint.sessions.sweep(Date.now() + 30_000);
    expect(endpoint.sessions.size).toBe(2); // not idle long enough yet
    endpoint.sessions.sweep(Date.now() + 61_000);
    expect(endpoint.sessions.size).toBe(1);
    expect(await rawPing(idle.sid!)).toBe(404);
    await client.ping(); // the listening client's session outlived the limit
    expect(hub.size).toBe(1);
  });

  it("expires idle sessions on its own timer", async () => {
    await start({ maxSessions: 10, idleMs: 200 });
    const idle = await rawInitialize();
    expect(idle.status).toBe(200);
    await waitFor(() => endpoint.sessions.size === 0, 10_000);
    expect(await rawPing(idle.sid!)).toBe(404);
  });

  it("refuses initialize beyond the session cap with 503, and takes new ones once a session ends", async () => {
    await start({ maxSessions: 2, idleMs: 60_000 });
    const a = await rawInitialize();
    const b = await rawInitialize();
    expect([a.status, b.status]).toEqual([200, 200]);
    const c = await rawInitialize();
    expect(c.status).toBe(503);
    expect(c.sid).toBeNull();
    expect(endpoint.sessions.size).toBe(2);
    const del = await fetch(url, {
      method: "DELETE",
      headers: { "mcp-session-id": a.sid!, "mcp-protocol-version": "2025-06-18" },
    });
    expect(del.status).toBe(200);
    expect((await rawInitialize()).status).toBe(200);
    expect(await rawPing(b.sid!)).toBe(200);
  });

  it("still answers a sessionless 2025 request statelessly (as before sessions existed)", async () => {
    await start({ maxSessions: 1, idleMs: 60_000 });
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2025-06-18",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 3, method: "resources/list" }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(URI);
    expect(endpoint.sessions.size).toBe(0);
  });
});
