// Workers anywhere (issue 12 §2): a DB host, an MCP server and two workers that share no disk, only
// the database (SURREAL_URL, root sign-in) and an S3 bucket. Episodes submitted to the server are
// made by either worker and read back through the server (resources and HTTP); a worker killed with
// SIGKILL mid-episode leaves its episode to the other, which re-bills nothing already spoken; no
// process writes into another's data dir.
import http from "node:http";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { ListObjectsV2Command, GetObjectCommand } from "@aws-sdk/client-s3";
import { connect, type Db } from "../../src/db/index.js";
import { createS3Client } from "../../src/artifacts/index.js";
import { decodeMp3 } from "../audio/decode.js";
import { pidAlive, structured } from "../helpers/mcp.js";
import { waitFor } from "../helpers/procs.js";
import type { Recorded } from "../fakes/server.js";
import { filesUnder, S3_PREFIX, startCluster, type Cluster, type WorkerNode } from "./cluster.js";

/** 3 s: taken back 3–4.5 s after a SIGKILL (the reaper looks every lease/2). */
const LEASE_MS = 3000;
/** Each synthesis takes this long; 4 at once per worker (the OpenAI provider's limit). */
const SPEECH_LATENCY_MS = 150;

let cluster: Cluster;
let mcp: Client;
let ops: Db;
let w1: WorkerNode;
let w2: WorkerNode;

beforeAll(async () => {
  cluster = await startCluster({ leaseMs: LEASE_MS, speechLatencyMs: SPEECH_LATENCY_MS });
  w1 = cluster.startWorker("w1");
  w2 = cluster.startWorker("w2");
  mcp = new Client({ name: "cluster-test", version: "1.0.0" });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${cluster.serverUrl}/mcp`)));
  ops = await cluster.operator();
}, 90_000);

afterAll(async () => {
  await mcp?.close().catch(() => undefined);
  await cluster?.stop();
}, 60_000);

interface Submitted {
  job_id: string;
  episode_id: string;
}
interface JobStatus {
  status: string;
  attempts: number;
  error_message: string | null;
  result: unknown;
}
interface Episode {
  id: string;
  status: string;
  duration: number;
  audio_file: string | null;
  transcript: { speaker: string; text: string; start: number; end: number }[];
  stats?: { turns: number; synthesized: number; cached: number };
}

/** A script of `n` turns for the tech_discussion profile (Alex and Sam), its lines unique to `topic`. */
function script(topic: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    speaker: i % 2 ? "Sam" : "Alex",
    text: `${topic}, point ${i + 1}: every machine here keeps its own disk and shares only the bucket.`,
  }));
}

async function submit(name: string, turns: ReturnType<typeof script>): Promise<Submitted> {
  const args = { episode_profile: "tech_discussion", episode_name: name, script: turns };
  return structured<Submitted>(await mcp.callTool({ name: "generate_podcast", arguments: args }));
}

async function finished(jobId: string, ms = 90_000): Promise<JobStatus> {
  const deadline = Date.now() + ms;
  for (;;) {
    const args = { job_id: jobId, wait_seconds: 5 };
    const s = structured<JobStatus>(await mcp.callTool({ name: "get_job_status", arguments: args }));
    if (["completed", "failed", "canceled"].includes(s.status) || Date.now() > deadline) return s;
  }
}

async function episode(id: string): Promise<Episode> {
  const res = await mcp.readResource({ uri: `podcast://episodes/${id}` });
  return JSON.parse((res.contents[0] as { text: string }).text) as Episode;
}

/** The episode's audio resource: an MP3 blob. */
async function audioResource(id: string): Promise<Buffer> {
  const [content] = (await mcp.readResource({ uri: `podcast://episodes/${id}/audio` })).contents;
  const blob = content as { mimeType: string; blob: string };
  expect(blob.mimeType).toBe("audio/mpeg");
  return Buffer.from(blob.blob, "base64");
}

function get(path: string, headers: Record<string, string> = {}) {
  const url = new URL(path, cluster.serverUrl);
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
  });
}

/** Which worker processes (by pid) held each job while it ran: read every 30 ms until stopped. */
function watchOwners(jobIds: string[]): { owners: Map<string, Set<number>>; stop(): Promise<void> } {
  const owners = new Map(jobIds.map((j) => [j, new Set<number>()]));
  let on = true;
  let failures = 0;
  const loop = (async () => {
    while (on) {
      try {
        const sql = "SELECT id, lease_owner FROM command WHERE status = 'running'";
        const [rows] = await ops.query<[{ id: unknown; lease_owner?: string }[]]>(sql).collect();
        // Worker ids are host:pid:random.
        for (const r of rows) owners.get(String(r.id))?.add(Number(r.lease_owner?.split(":")[1]));
      } catch (err) {
        if (++failures > 20) throw err;
      }
      await new Promise((r) => setTimeout(r, 30));
    }
  })();
  loop.catch(() => undefined); // reported by stop()
  return {
    owners,
    stop: async () => {
      on = false;
      await loop;
    },
  };
}

async function ttsCacheRows(): Promise<number> {
  const [[row]] = await ops.query<[[{ c: number }?]]>("SELECT count() AS c FROM tts_cache GROUP ALL").collect();
  return row?.c ?? 0;
}

/** Keys in the bucket under the cluster's prefix (and `under` inside it). */
async function bucketKeys(under: string): Promise<string[]> {
  const client = createS3Client(cluster.s3.config());
  try {
    const list = new ListObjectsV2Command({ Bucket: cluster.s3.bucket, Prefix: `${S3_PREFIX}/${under}` });
    const out = await client.send(list);
    return (out.Contents ?? []).map((o) => o.Key!.slice(S3_PREFIX.length + 1));
  } finally {
    client.destroy();
  }
}

async function bucketObject(key: string): Promise<Buffer> {
  const client = createS3Client(cluster.s3.config());
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: cluster.s3.bucket, Key: `${S3_PREFIX}/${key}` }));
    return Buffer.from(await out.Body!.transformToByteArray());
  } finally {
    client.destroy();
  }
}

const pidOf = (w: WorkerNode) => w.proc.child.pid!;
const bare = (episodeId: string) => episodeId.replace(/^episode:/, "");

describe("a cluster of a DB host, an MCP server and two workers with no shared disk", () => {
  it("reaches the DB host as root with its password over SURREAL_URL, and is refused with another", async () => {
    // What every process of the cluster does: a plain SurrealDB root sign-in, no state file read.
    const [answer] = await ops.query<[number]>("RETURN 6 * 7").collect();
    expect(answer).toBe(42);
    const where = { url: cluster.surrealUrl, namespace: "podcast_mcp", database: "main", connectTimeoutMs: 5_000 };
    await expect(connect({ ...where, user: "root", password: "not-it" })).rejects.toThrow(/authentication/i);
  });

  const made: { sub: Submitted; turns: ReturnType<typeof script>; result: unknown }[] = [];
  let killed: { worker: WorkerNode; scratch: string } | undefined;

  it("makes two episodes submitted at once on both workers", async () => {
    const a = { sub: await submit("Bucket A", script("Episode A", 12)), turns: script("Episode A", 12) };
    const b = { sub: await submit("Bucket B", script("Episode B", 12)), turns: script("Episode B", 12) };
    const watch = watchOwners([a.sub.job_id, b.sub.job_id]);
    const [sa, sb] = await Promise.all([finished(a.sub.job_id), finished(b.sub.job_id)]);
    await watch.stop();
    expect(sa.status, sa.error_message ?? "").toBe("completed");
    expect(sb.status, sb.error_message ?? "").toBe("completed");
    made.push({ ...a, result: sa.result }, { ...b, result: sb.result });
    // One episode at a time per worker: the second had to go to the other one.
    const all = new Set([...watch.owners.get(a.sub.job_id)!, ...watch.owners.get(b.sub.job_id)!]);
    expect([...all].sort()).toEqual([pidOf(w1), pidOf(w2)].sort());
  });

  it("serves each episode from the bucket: the resource, the audio blob, HTTP with a range, the feed", async () => {
    const feed = await get("/feed.xml");
    expect(feed.status).toBe(200);
    const xml = feed.body.toString("utf8");
    for (const { sub, turns, result } of made) {
      const ep = await episode(sub.episode_id);
      expect(ep.status).toBe("completed");
      expect(ep.transcript.map((t) => t.text)).toEqual(turns.map((t) => t.text));

      const mp3 = await audioResource(sub.episode_id);
      const [key] = (await bucketKeys(`episodes/${bare(sub.episode_id)}/`)).filter((k) => k.endsWith("/audio.mp3"));
      expect((await bucketObject(key!)).equals(mp3)).toBe(true);
      // The job's result names that object, not a file on the worker's machine.
      const address = `s3://${cluster.s3.bucket}/${S3_PREFIX}/${key}`;
      expect(result).toMatchObject({ episode_id: sub.episode_id, audio_file: address });
      // The episode names the same object: no machine's path, the audio is in the bucket.
      expect(ep.audio_file).toBe(address);

      const whole = await get(`/episodes/${bare(sub.episode_id)}/audio.mp3`);
      expect(whole.status).toBe(200);
      expect(whole.body.equals(mp3)).toBe(true);
      const part = await get(`/episodes/${bare(sub.episode_id)}/audio.mp3`, { Range: "bytes=1000-4999" });
      expect(part.status).toBe(206);
      expect(part.headers["content-range"]).toBe(`bytes 1000-4999/${mp3.length}`);
      expect(part.body.equals(mp3.subarray(1000, 5000))).toBe(true);

      // The bytes are an MP3 a decoder plays, exactly as long as the episode says (gapless).
      const pcm = await decodeMp3(mp3);
      expect(pcm.errors).toBe(0);
      expect(Math.abs(pcm.samples.length / pcm.sampleRate - ep.duration)).toBeLessThan(0.001);
      expect(ep.transcript.at(-1)!.end).toBeLessThanOrEqual(ep.duration);

      const item = xml.split("<item>").find((i) => i.includes(`/episodes/${bare(sub.episode_id)}/audio.mp3`));
      expect(item).toBeDefined();
      expect(item).toContain(`length="${mp3.length}"`);
    }
  });

  it("finishes an episode on the other worker after a SIGKILL mid-speech, re-billing nothing spoken", async () => {
    const turns = script("Episode K", 40);
    const before = await ttsCacheRows();
    const sub = await submit("Killed mid-speech", turns);
    const watch = watchOwners([sub.job_id]);
    // Kill whichever worker holds the job once a fifth of its turns are in the shared cache.
    const victim = await waitFor(
      async () => {
        const pids = watch.owners.get(sub.job_id)!;
        if (pids.size === 0 || (await ttsCacheRows()) - before < 8) return undefined;
        return [w1, w2].find((w) => pids.has(pidOf(w)));
      },
      60_000,
      20,
    );
    victim.proc.child.kill("SIGKILL");
    await victim.proc.exited;
    // Let the fake take in anything the dead worker had sent; the other cannot start within its lease.
    await new Promise((r) => setTimeout(r, 100));
    killed = { worker: victim, scratch: `${bare(sub.episode_id)}-run-${sub.job_id.replace(/^command:/, "")}-1` };
    const spokenAtKill = (await ttsCacheRows()) - before;
    const requestsAtKill = cluster.speechServer.requests.length;
    expect(spokenAtKill).toBeLessThan(turns.length); // it really died mid-episode

    const done = await finished(sub.job_id);
    await watch.stop();
    expect(done.status, done.error_message ?? "").toBe("completed");
    expect(done.attempts).toBe(2);
    const survivor = victim === w1 ? w2 : w1;
    expect(watch.owners.get(sub.job_id)).toEqual(new Set([pidOf(victim), pidOf(survivor)]));

    const ep = await episode(sub.episode_id);
    expect(ep.status).toBe("completed");
    expect(ep.transcript.map((t) => t.text)).toEqual(turns.map((t) => t.text));
    const stats = ep.stats!;
    expect(stats.turns).toBe(turns.length);
    expect(stats.synthesized + stats.cached).toBe(turns.length);
    // Every clip the dead worker had put in the bucket came from there on the other machine.
    expect(stats.cached).toBeGreaterThanOrEqual(spokenAtKill);

    const texts = new Set(turns.map((t) => t.text));
    const spoken = (r: Recorded) =>
      r.path.endsWith("/audio/speech") ? (JSON.parse(r.body) as { input: string }).input : "";
    const asked = cluster.speechServer.requests
      .map((r, i) => ({ i, text: spoken(r) }))
      .filter((r) => texts.has(r.text));
    const beforeKill = asked.filter((r) => r.i < requestsAtKill);
    const afterKill = asked.filter((r) => r.i >= requestsAtKill);
    // What the survivor paid for is what its stats say it synthesized...
    expect(afterKill.length).toBe(stats.synthesized);
    // ...and a line was paid for twice only if its clip was not yet in the cache when the first
    // worker died (its request in flight).
    const again = afterKill.filter((r) => beforeKill.some((b) => b.text === r.text));
    expect(again.length).toBeLessThanOrEqual(beforeKill.length - spokenAtKill);
    expect(new Set(asked.map((r) => r.text))).toEqual(texts);

    // The audio is whole and plays.
    const pcm = await decodeMp3(await audioResource(sub.episode_id));
    expect(pcm.errors).toBe(0);
    expect(Math.abs(pcm.samples.length / pcm.sampleRate - ep.duration)).toBeLessThan(0.001);
    made.push({ sub, turns, result: done.result });
  });

  it("writes nothing into another process's data dir: artifacts are in the bucket only", async () => {
    // The server wrote nothing of its own either: no episode files, no cache, no daemon state.
    expect(filesUnder(cluster.serverDir)).toEqual([]);
    for (const w of cluster.workers) {
      // A worker keeps nothing once a run is published; a killed one may leave the scratch of its own
      // run (its job's first attempt), and nothing else.
      const own = w === killed?.worker ? `tmp/runs/${killed.scratch}/` : undefined;
      expect(
        filesUnder(w.dataDir).filter((f) => !own || !f.startsWith(own)),
        w.name,
      ).toEqual([]);
    }
    const clips = await bucketKeys("cache/tts/");
    expect(clips.length).toBe(await ttsCacheRows());
    for (const { sub } of made) {
      expect((await bucketKeys(`episodes/${bare(sub.episode_id)}/`)).length).toBeGreaterThan(0);
    }
  });

  it("deletes an episode a worker made: gone from the bucket and from the server's routes", async () => {
    const { sub } = made[0]!;
    expect((await bucketKeys(`episodes/${bare(sub.episode_id)}/`)).length).toBeGreaterThan(0);
    const args = { episode_id: sub.episode_id };
    const del = structured<{ deleted: boolean }>(await mcp.callTool({ name: "delete_episode", arguments: args }));
    expect(del.deleted).toBe(true);
    expect(await bucketKeys(`episodes/${bare(sub.episode_id)}/`)).toEqual([]);
    expect((await get(`/episodes/${bare(sub.episode_id)}/audio.mp3`)).status).toBe(404);
    expect((await get("/feed.xml")).body.toString("utf8")).not.toContain(bare(sub.episode_id));
  });

  it("stops every process and removes every temporary dir", async () => {
    const pids = [cluster.hostPid, ...[cluster.server, ...cluster.workers.map((w) => w.proc)].map((p) => p.child.pid!)];
    const dirs = [cluster.hostDir, cluster.serverDir, ...cluster.workers.map((w) => w.dataDir)];
    await mcp.close();
    await cluster.stop();
    for (const pid of pids) expect(pidAlive(pid)).toBe(false);
    for (const d of dirs) expect(existsSync(d)).toBe(false);
  });
});
