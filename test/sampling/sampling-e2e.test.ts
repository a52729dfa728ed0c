// MCP sampling as the writer, end to end with no key: real stdio servers, the daemon they share and
// its workers, built-in voices. The script comes from the clients' answers to sampling/createMessage
// (v2 clients declaring sampling); a session that disappears mid-episode fails the job after a
// bounded wait, with a message that says so, and retry_episode from another client resumes it.
import { afterAll, beforeAll, expect, it } from "vitest";
import { stopDaemon, structured } from "../helpers/mcp.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import { connectClient, finished, requestKind, scriptModel, type StdioClient } from "./clients.js";

// Short bounds, so the disappearing session fails in seconds rather than minutes.
const ENV = { PODCAST_MCP_SAMPLING_WAIT: "2s", PODCAST_MCP_SAMPLING_TIMEOUT: "4s" };
const CONTENT =
  "Bees dance to tell each other where flowers are. The angle of the dance points to the sun. " +
  "The length of the waggle says how far to fly. A good patch of flowers gets a longer dance.";

let dataDir = "";
const clients: StdioClient[] = [];

beforeAll(() => {
  dataDir = tmpDataDir();
});
afterAll(async () => {
  for (const c of clients) await c.close();
  if (dataDir) await stopDaemon(dataDir);
  await stopAll();
});

interface Episode {
  transcript: { speaker: string; text: string; segment: number }[];
  writer: { outline: string; transcript: string };
  submitted_by: { client: string; sampling: boolean };
}

it("writes the script with the submitting client's model when no LLM is configured", async () => {
  const a = await connectClient(dataDir, "sampling-a", ENV, scriptModel("A"));
  clients.push(a);
  const sub = structured<{ job_id: string; episode_id: string; message: string }>(
    await a.client.callTool({
      name: "generate_podcast",
      arguments: { episode_profile: "tech_discussion", content: CONTENT },
    }),
  );
  expect(sub.message).toMatch(/Your model writes the script through MCP sampling/);
  const job = await finished(a.client, sub.job_id);
  expect(job.status).toBe("completed");
  // "auto" with no key and a client that declared sampling: the client's model wrote it all.
  expect(job.result?.writer).toEqual({ outline: "client:sampling-a 1.0.0", transcript: "client:sampling-a 1.0.0" });
  // One request for the outline, one per segment of tech_discussion's four.
  expect(a.asked.map((t) => (/Plan the episode/.test(t) ? "outline" : /Write segment (\d)/.exec(t)?.[1]))).toEqual([
    "outline",
    "1",
    "2",
    "3",
    "4",
  ]);
  const ep = structured<Episode>(
    await a.client.callTool({ name: "get_episode", arguments: { episode_id: sub.episode_id } }),
  );
  expect(ep.writer).toEqual(job.result?.writer);
  expect(ep.submitted_by).toEqual({ client: "sampling-a 1.0.0", sampling: true });
  expect(ep.transcript).toHaveLength(8);
  expect(ep.transcript.every((t) => t.text.startsWith("A "))).toBe(true);
  expect(new Set(ep.transcript.map((t) => t.speaker))).toEqual(new Set(["Alex", "Sam"]));
  const md = await a.client.readResource({ uri: `podcast://episodes/${sub.episode_id}/transcript` });
  expect((md.contents[0] as { text: string }).text).toMatch(/A answers in segment 4: the waggle says how far to fly/);
});

it("fails after a bounded wait when the submitting session disappears, and retry_episode resumes", async () => {
  // B answers the outline and segment 1, then its server process dies while segment 2 is asked.
  let asked2: () => void = () => {};
  const segment2 = new Promise<void>((r) => (asked2 = r));
  const model = scriptModel("B");
  const b = await connectClient(dataDir, "sampling-b", ENV, async (req) => {
    const kind = requestKind(req);
    if ("segment" in kind && kind.segment === 2) {
      asked2();
      return new Promise(() => {});
    }
    return model(req);
  });
  clients.push(b);
  const sub = structured<{ job_id: string; episode_id: string }>(
    await b.client.callTool({
      name: "generate_podcast",
      arguments: { episode_profile: "tech_discussion", content: CONTENT },
    }),
  );
  await segment2;
  // The worker's bound runs from when the client was asked (answer timeout 4 s + claim wait 2 s),
  // not from the kill: starting the observer's server may take seconds on a loaded machine.
  const askedAt = Date.now();
  const observer = await connectClient(dataDir, "observer", ENV);
  clients.push(observer);
  process.kill(b.transport.pid!, "SIGKILL");
  const failed = await finished(observer.client, sub.job_id, 60_000);
  // Nobody fails the request it was holding: the worker stops waiting once the bounds have passed
  // (at least the 4 s answer timeout after the question reached the client; 6 s after the worker saw it asked).
  expect(Date.now() - askedAt).toBeGreaterThanOrEqual(4_000);
  expect(failed.status).toBe("failed");
  expect(failed.error_message).toMatch(
    /the MCP session that submitted this episode \(client sampling-b 1\.0\.0\) is gone/,
  );
  expect(failed.error_message).toMatch(/retry_episode/);

  // C (which declares sampling) retries: only the segments not yet written are asked for.
  const c = await connectClient(dataDir, "sampling-c", ENV, scriptModel("C"));
  clients.push(c);
  const retry = structured<{ job_id: string }>(
    await c.client.callTool({ name: "retry_episode", arguments: { episode_id: sub.episode_id } }),
  );
  const job = await finished(c.client, retry.job_id);
  expect(job.status).toBe("completed");
  expect(c.asked.map((t) => /Write segment (\d)/.exec(t)?.[1] ?? "outline")).toEqual(["2", "3", "4"]);
  expect(job.result?.writer).toEqual({ outline: "client:sampling-b 1.0.0", transcript: "client:sampling-c 1.0.0" });
  const ep = structured<Episode>(
    await c.client.callTool({ name: "get_episode", arguments: { episode_id: sub.episode_id } }),
  );
  expect(ep.transcript.filter((t) => t.segment === 0).every((t) => t.text.startsWith("B "))).toBe(true);
  expect(ep.transcript.filter((t) => t.segment > 0).every((t) => t.text.startsWith("C "))).toBe(true);
  expect(ep.submitted_by).toEqual({ client: "sampling-c 1.0.0", sampling: true });
});

it("does not count on sampling from a 2026-07-28 client, which has no server-to-client requests", async () => {
  const m = await connectClient(dataDir, "modern-sampler", ENV, scriptModel("M"), { modern: true });
  clients.push(m);
  expect(m.client.getNegotiatedProtocolVersion()).toBe("2026-07-28");
  const sub = structured<{ job_id: string; message: string }>(
    await m.client.callTool({
      name: "generate_podcast",
      arguments: { episode_profile: "solo_expert", content: CONTENT },
    }),
  );
  expect(sub.message).toMatch(/this session did not declare sampling, so the built-in writer/);
  const job = await finished(m.client, sub.job_id);
  expect(job.result?.writer).toEqual({ outline: "builtin", transcript: "builtin" });
  expect(m.asked).toEqual([]);
});
