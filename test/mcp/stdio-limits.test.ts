// A stdio message over the transport's 10 MiB limit: the SDK closes the transport but not stdin, so
// the server used to live on, deaf. It now leaves at once with a line that says why.
import { afterAll, expect, it } from "vitest";
import { cleanEnv, spawnCli, stopAll, tmpDataDir } from "../helpers/procs.js";
import { stopDaemon } from "../helpers/mcp.js";

let dir = "";
afterAll(async () => {
  if (dir) await stopDaemon(dir);
  await stopAll();
});

it("exits with a clear message when a message is larger than the stdio limit", async () => {
  dir = tmpDataDir();
  const server = spawnCli([], cleanEnv({ PODCAST_MCP_DATA_DIR: dir }));
  // The server leaves while the rest of the oversized line is still being written: that EPIPE is expected.
  server.child.stdin!.on("error", () => undefined);
  const init = {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
  };
  server.child.stdin!.write(`${JSON.stringify(init)}\n`);
  // Wait for the answer, so the server is up and serving before the oversized line.
  for (let i = 0; i < 600 && !server.stdout().includes('"id":1'); i++) await new Promise((r) => setTimeout(r, 50));
  expect(server.stdout()).toContain('"id":1');
  const big = {
    jsonrpc: "2.0",
    id: 2,
    method: "tools/call",
    params: { name: "generate_podcast", arguments: { content: "x".repeat(11 * 1024 * 1024) } },
  };
  server.child.stdin!.write(`${JSON.stringify(big)}\n`);
  const { code } = await server.exited;
  expect(code).toBe(1);
  expect(server.stderr()).toMatch(/larger than 10 MiB; exiting/);
}, 60_000);
