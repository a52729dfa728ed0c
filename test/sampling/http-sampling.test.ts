// MCP sampling over Streamable HTTP: a 2025-era session (src/http/sessions.ts) whose v2 client
// declared sampling at initialize gets the worker's requests on its GET event stream and writes the
// script. A real HTTP server, its daemon and workers, built-in voices.
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { stopDaemon, structured } from "../helpers/mcp.js";
import { cleanEnv, spawnCli, stopAll, stopProc, tmpDataDir, waitFor, type Proc } from "../helpers/procs.js";
import { finished, scriptModel, type SamplingRequest } from "./clients.js";

let dataDir = "";
let server: Proc | undefined;
let client: Client | undefined;

beforeAll(async () => {
  dataDir = tmpDataDir();
  server = spawnCli(["serve", "--http", "--port", "0"], cleanEnv({ PODCAST_MCP_DATA_DIR: dataDir }));
});
afterAll(async () => {
  await client?.close().catch(() => {});
  if (server) await stopProc(server);
  if (dataDir) await stopDaemon(dataDir);
  await stopAll();
});

it("a 2025-era HTTP session that declared sampling writes the script", async () => {
  const url = await waitFor(() => /listening on (http:\/\/\S+)\/mcp/.exec(server!.stderr())?.[1], 60_000);
  client = new Client({ name: "http-sampler", version: "1.0.0" }, { capabilities: { sampling: {} } });
  const model = scriptModel("H");
  let asked = 0;
  client.setRequestHandler("sampling/createMessage", async (request) => {
    asked++;
    return (await model(request.params as unknown as SamplingRequest)) as never;
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
  const sub = structured<{ job_id: string; episode_id: string }>(
    await client.callTool({
      name: "generate_podcast",
      arguments: { episode_profile: "solo_expert", content: "Bees dance." },
    }),
  );
  const job = await finished(client, sub.job_id);
  expect(job.status).toBe("completed");
  expect(job.result?.writer).toEqual({ outline: "client:http-sampler 1.0.0", transcript: "client:http-sampler 1.0.0" });
  // solo_expert: the outline and its three segments.
  expect(asked).toBe(4);
});
