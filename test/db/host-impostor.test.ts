// Issue 8 §1: after the host dies, another program (any local user) binds its old port. Clients
// reconnect within a second, so the impostor gets their handshakes: it must get nothing secret —
// no sign-in, no message at all — and the client must say in its log why it refused. When the real
// host comes back (with a new secret) the clients reconnect by themselves.
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import { pino } from "pino";
import { afterAll, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { loadConfig } from "../../src/config.js";
import { connectFromConfig, type Db } from "../../src/db/index.js";
import { stopAll, tmpDataDir, waitFor } from "../helpers/procs.js";
import { hostReady, spawnHost, stopHosts } from "./host-proc.js";

const open: Db[] = [];
afterAll(async () => {
  await Promise.all(open.map((db) => db.close().catch(() => undefined)));
  await stopHosts();
  await stopAll();
});

/** A logger whose lines the test reads. */
function capturedLog(): { log: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: pino({ level: "debug" }, { write: (s: string) => void lines.push(s) }), lines };
}

/** A WebSocket server on the port: answers the upgrade like the host (cbor, a forged proof), records every byte. */
async function impostor(
  port: number,
): Promise<{ server: Server; received: Buffer[][]; messages: number; close(): Promise<void> }> {
  const received: Buffer[][] = [];
  const sockets = new Set<Socket>();
  const server = createServer();
  server.on("connection", (sock: Socket) => {
    const chunks: Buffer[] = [];
    received.push(chunks);
    sockets.add(sock);
    sock.on("data", (d: Buffer) => chunks.push(d));
  });
  const wss = new WebSocketServer({ server, handleProtocols: () => "cbor" });
  wss.on("headers", (headers: string[]) => headers.push("x-podcast-mcp-proof: forged-proof-forged-proof-forged-proof"));
  const out = { server, received, messages: 0, close: async () => {} };
  wss.on("connection", (ws) => ws.on("message", () => out.messages++));
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", () => resolve()));
  out.close = async () => {
    for (const s of sockets) s.destroy();
    wss.close();
    await new Promise((r) => server.close(r));
  };
  return out;
}

it("a program on the dead host's port gets no secret, no message; clients refuse it, then follow the new host", async () => {
  const dataDir = tmpDataDir();
  let host = spawnHost(dataDir);
  const first = await hostReady(dataDir, host);
  const { log, lines } = capturedLog();
  const db = await connectFromConfig(loadConfig({ PODCAST_MCP_DATA_DIR: dataDir }), { waitMs: 10_000, log });
  open.push(db);
  await db.query("DEFINE TABLE IF NOT EXISTS note SCHEMALESS; CREATE note:kept SET text = 'before the crash'");

  host.child.kill("SIGKILL");
  await host.exited;
  const fake = await impostor(first.port);
  try {
    // The client's reconnect loop (≤ 2 s between tries) reaches the impostor a few times.
    await waitFor(() => fake.received.length >= 3, 20_000, 50);
    await waitFor(() => lines.some((l) => l.includes(`refused ws://127.0.0.1:${first.port}`)), 5_000);
    // A client's WebSocket frames are masked, so a secret in them would not show in the raw bytes:
    // what proves nothing was sent is that no frame followed any upgrade request.
    const all = Buffer.concat(fake.received.flat()).toString("latin1");
    expect(all).not.toContain(first.secret);
    expect(all).not.toContain("signin");
    expect(fake.messages).toBe(0);
    // Each connection carried the HTTP upgrade request and nothing after it: not one WebSocket frame.
    for (const chunks of fake.received) {
      const text = Buffer.concat(chunks).toString("latin1");
      if (!text) continue;
      expect(text).toMatch(/^GET \/rpc HTTP\/1\.1\r\n/);
      expect(text.endsWith("\r\n\r\n")).toBe(true);
      expect(text.indexOf("\r\n\r\n")).toBe(text.length - 4);
    }
    const refusal = lines.find((l) => l.includes("refused"))!;
    expect(JSON.parse(refusal)).toMatchObject({
      level: 40,
      msg: expect.stringMatching(/did not prove it knows the secret in .*db-host\.json; not signing in/),
    });
  } finally {
    await fake.close();
  }

  host = spawnHost(dataDir);
  const second = await hostReady(dataDir, host);
  expect(second.secret).not.toBe(first.secret);
  const [rows] = await waitFor(() => db.query<[Array<{ text: string }>]>("SELECT text FROM note:kept"), 20_000, 100);
  expect(rows).toEqual([{ text: "before the crash" }]);
  expect(lines.some((l) => l.includes("proved itself again"))).toBe(true);
});
