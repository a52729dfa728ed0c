// Clients in the field still speak 2025-06-18 / 2025-11-25 with the v1 SDK: the same flow with it.
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { MPEGDecoder } from "mpg123-decoder";
import { CLI, cleanEnv, stopAll, tmpDataDir } from "../helpers/procs.js";
import { stopDaemon } from "../helpers/mcp.js";

let dataDir: string;
let client: Client;

beforeAll(async () => {
  dataDir = tmpDataDir();
  client = new Client({ name: "v1-client", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [CLI],
      env: cleanEnv({ PODCAST_MCP_DATA_DIR: dataDir }) as Record<string, string>,
      stderr: "ignore",
    }),
  );
});

afterAll(async () => {
  await client?.close().catch(() => {});
  await stopDaemon(dataDir);
  await stopAll();
});

it("runs generate → status → resources with the v1 SDK client", async () => {
  const updates: string[] = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
  const r = await client.callTool({
    name: "generate_podcast",
    arguments: {
      episode_profile: "solo_expert",
      episode_name: "Bees",
      content:
        "Bees dance to tell each other where flowers are. The angle of the dance points to the sun. The length of the waggle says how far to fly.",
    },
  });
  expect(r.isError).toBeFalsy();
  const { job_id, episode_id } = r.structuredContent as { job_id: string; episode_id: string };
  await client.subscribeResource({ uri: `podcast://jobs/${job_id}` });
  let status = "";
  const deadline = Date.now() + 120_000;
  while (!["completed", "failed", "canceled"].includes(status) && Date.now() < deadline) {
    const st = await client.callTool({ name: "get_job_status", arguments: { job_id, wait_seconds: 5 } });
    status = (st.structuredContent as { status: string }).status;
  }
  expect(status).toBe("completed");
  const audio = (await client.readResource({ uri: `podcast://episodes/${episode_id}/audio` })).contents[0] as {
    blob: string;
  };
  const decoder = new MPEGDecoder();
  await decoder.ready;
  const decoded = decoder.decode(new Uint8Array(Buffer.from(audio.blob, "base64")));
  decoder.free();
  expect(decoded.samplesDecoded / decoded.sampleRate).toBeGreaterThan(3);
  const md = (
    (await client.readResource({ uri: `podcast://episodes/${episode_id}/transcript` })).contents[0] as { text: string }
  ).text;
  expect(md).toMatch(/waggle/);
  expect(updates).toContain(`podcast://jobs/${job_id}`);
  expect(client.getServerVersion()?.name).toBe("podcast-mcp");
});
