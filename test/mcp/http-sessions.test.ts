// Over Streamable HTTP, each client era follows a job to the end through its subscription, as over
// stdio: the v1 SDK client and the v2 client (2025 era: sessions, resources/subscribe, the GET event
// stream) and the v2 client on 2026-07-28 (subscriptions/listen). A real server and its daemon.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as V1Transport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { cleanEnv, spawnCli, stopAll, stopProc, tmpDataDir, waitFor, type Proc } from "../helpers/procs.js";
import { stopDaemon, structured } from "../helpers/mcp.js";

let dataDir: string;
let server: Proc;
let mcpUrl: URL;

beforeAll(async () => {
  dataDir = tmpDataDir();
  server = spawnCli(["serve", "--http", "--port", "0"], cleanEnv({ PODCAST_MCP_DATA_DIR: dataDir }));
  mcpUrl = new URL(`${await waitFor(() => /listening on (http:\/\/\S+)\/mcp/.exec(server.stderr())?.[1], 60_000)}/mcp`);
});

afterAll(async () => {
  if (server) await stopProc(server);
  await stopDaemon(dataDir);
  await stopAll();
});

/** What a client of either SDK offers this test. */
interface Probe {
  callTool(name: string, args: Record<string, unknown>): Promise<unknown>;
  readJob(uri: string): Promise<{ status: string }>;
}

const script = (who: string) => ({
  episode_profile: "solo_expert",
  episode_name: `Subscribed ${who}`,
  script: [
    {
      speaker: "Sam",
      text: `The ${who} client hears about this job until it is done, and only through its subscription.`,
    },
  ],
});

/**
 * Submits a job, then, on every update notification only (no get_job_status polling), reads the job.
 * Resolves with the statuses read once one of them is final.
 */
async function followJob(
  p: Probe,
  who: string,
  subscribe: (uri: string) => Promise<void>,
  onUpdate: (h: (uri: string) => void) => void,
) {
  const { job_id } = structured<{ job_id: string }>(await p.callTool("generate_podcast", script(who)));
  const uri = `podcast://jobs/${job_id}`;
  const seen: string[] = [];
  let updates = 0;
  let done = false;
  const reads: Promise<void>[] = [];
  onUpdate((u) => {
    if (u !== uri || done) return;
    updates++;
    reads.push(p.readJob(uri).then((j) => void seen.push(j.status)));
  });
  await subscribe(uri);
  await waitFor(() => seen.some((s) => ["completed", "failed", "canceled"].includes(s)), 120_000, 100);
  done = true;
  await Promise.all(reads); // every read finished before the test ends its session
  return { seen, updates };
}

describe("subscriptions over Streamable HTTP", () => {
  it("v1 SDK client: a session, job updates until completed, list changes, DELETE ends it", async () => {
    const client = new V1Client({ name: "v1-http", version: "1.0.0" });
    const transport = new V1Transport(mcpUrl);
    await client.connect(transport);
    expect(transport.sessionId).toBeTruthy();
    let listChanges = 0;
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void listChanges++);
    const handlers: ((uri: string) => void)[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      for (const h of handlers) h(n.params.uri);
    });
    const { seen, updates } = await followJob(
      {
        callTool: (name, args) => client.callTool({ name, arguments: args }),
        readJob: async (uri) => JSON.parse(((await client.readResource({ uri })).contents[0] as { text: string }).text),
      },
      "v1",
      async (uri) => void (await client.subscribeResource({ uri })),
      (h) => handlers.push(h),
    );
    expect(seen.at(-1)).toBe("completed");
    expect(updates).toBeGreaterThanOrEqual(2); // at least one change on the way and the end
    expect(listChanges).toBeGreaterThanOrEqual(1); // the new episode changed the list

    const sid = transport.sessionId!;
    await transport.terminateSession();
    const after = await fetch(mcpUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-session-id": sid,
        "mcp-protocol-version": "2025-06-18",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "ping" }),
    });
    expect(after.status).toBe(404);
    await client.close();
  });

  it("v2 client on the 2025 era: the same, through its session", async () => {
    const client = new Client({ name: "v2-http", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(mcpUrl);
    await client.connect(transport);
    expect(transport.sessionId).toBeTruthy();
    const handlers: ((uri: string) => void)[] = [];
    client.setNotificationHandler("notifications/resources/updated", (n) => {
      for (const h of handlers) h(n.params.uri);
    });
    const { seen, updates } = await followJob(
      {
        callTool: (name, args) => client.callTool({ name, arguments: args }),
        readJob: async (uri) => JSON.parse(((await client.readResource({ uri })).contents[0] as { text: string }).text),
      },
      "v2",
      async (uri) => void (await client.subscribeResource({ uri })),
      (h) => handlers.push(h),
    );
    expect(seen.at(-1)).toBe("completed");
    expect(updates).toBeGreaterThanOrEqual(2);
    await transport.terminateSession();
    await client.close();
  });

  it("v2 client on 2026-07-28: job updates on a subscriptions/listen stream, as before", async () => {
    const client = new Client({ name: "v2-modern-http", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl));
    expect(client.getNegotiatedProtocolVersion()).toBe("2026-07-28");
    const handlers: ((uri: string) => void)[] = [];
    client.setNotificationHandler("notifications/resources/updated", (n) => {
      for (const h of handlers) h(n.params.uri);
    });
    let listen: { close(): Promise<void> } | undefined;
    const { seen } = await followJob(
      {
        callTool: (name, args) => client.callTool({ name, arguments: args }),
        readJob: async (uri) => JSON.parse(((await client.readResource({ uri })).contents[0] as { text: string }).text),
      },
      "modern",
      async (uri) => {
        listen = await client.listen({ resourceSubscriptions: [uri] });
      },
      (h) => handlers.push(h),
    );
    expect(seen.at(-1)).toBe("completed");
    await listen?.close();
    await client.close();
  });
});
