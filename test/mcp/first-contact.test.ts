// First contact, as a new user meets it over stdio: an agent's first call with only `content`
// (default profile, a name made from the content), the v1 SDK client and the v2 client each following
// a job to the end on resource-update notifications alone (no status polling), and every seeded
// episode profile made end to end with the built-in writer and voices, its MP3 decoded and checked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport as V1StdioTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { MPEGDecoder } from "mpg123-decoder";
import { CLI, cleanEnv, stopAll, tmpDataDir } from "../helpers/procs.js";
import { connectStdio, stopDaemon, structured, type StdioSession } from "../helpers/mcp.js";

let dataDir: string;
let v1: V1Client;
let v2: StdioSession;

beforeAll(async () => {
  dataDir = tmpDataDir();
  v2 = await connectStdio(dataDir);
  v1 = new V1Client({ name: "v1-first-contact", version: "1.0.0" });
  const env = cleanEnv({ PODCAST_MCP_DATA_DIR: dataDir }) as Record<string, string>;
  await v1.connect(new V1StdioTransport({ command: process.execPath, args: [CLI], env, stderr: "ignore" }));
});

afterAll(async () => {
  await v1?.close().catch(() => {});
  await v2?.close().catch(() => {});
  await stopDaemon(dataDir);
  await stopAll();
});

type Job = { status: string; progress: { fraction: number; stage: string } | null; error_message: string | null };

/** Waits for the job's terminal status using only notifications: each update triggers one read. */
function followByNotifications(
  read: () => Promise<Job>,
  onUpdate: (cb: () => void) => void,
  timeoutMs = 150_000,
): Promise<Job[]> {
  return new Promise((resolve, reject) => {
    const seen: Job[] = [];
    const timer = setTimeout(
      () =>
        reject(new Error(`no terminal status after ${timeoutMs} ms; saw ${JSON.stringify(seen.map((s) => s.status))}`)),
      timeoutMs,
    );
    let done = false;
    onUpdate(() => {
      if (done) return;
      void read().then((j) => {
        if (done) return;
        seen.push(j);
        if (["completed", "failed", "canceled"].includes(j.status)) {
          done = true;
          clearTimeout(timer);
          resolve(seen);
        }
      }, reject);
    });
  });
}

async function decodedSeconds(blobBase64: string): Promise<number> {
  const decoder = new MPEGDecoder();
  await decoder.ready;
  try {
    const d = decoder.decode(new Uint8Array(Buffer.from(blobBase64, "base64")));
    expect(d.errors).toEqual([]);
    return d.samplesDecoded / d.sampleRate;
  } finally {
    decoder.free();
  }
}

describe("first contact over stdio", () => {
  it("v1 client: a content-only call takes the default profile and a name from the content; the job is followed on notifications", async () => {
    const listeners: (() => void)[] = [];
    v1.setNotificationHandler(ResourceUpdatedNotificationSchema, () => listeners.forEach((l) => l()));
    const r = await v1.callTool({
      name: "generate_podcast",
      arguments: {
        content:
          "# Honeybee dances\n\nBees dance to tell each other where flowers are. The angle of the dance points to the sun.",
      },
    });
    expect(r.isError).toBeFalsy();
    const sub = r.structuredContent as {
      job_id: string;
      episode_id: string;
      episode_profile: string;
      episode_name: string;
      message: string;
    };
    expect(sub).toMatchObject({ episode_profile: "tech_discussion", episode_name: "Honeybee dances" });
    expect(sub.message).toMatch(/the default/);
    expect(sub.message).toMatch(/first heading/);
    const uri = `podcast://jobs/${sub.job_id}`;
    const following = followByNotifications(
      async () => JSON.parse(((await v1.readResource({ uri })).contents[0] as { text: string }).text) as Job,
      (cb) => listeners.push(cb),
    );
    await v1.subscribeResource({ uri });
    const seen = await following;
    expect(seen.at(-1)).toMatchObject({ status: "completed", error_message: null, progress: { fraction: 1 } });
    const audio = (await v1.readResource({ uri: `podcast://episodes/${sub.episode_id}/audio` })).contents[0] as {
      blob: string;
    };
    const ep = JSON.parse(
      ((await v1.readResource({ uri: `podcast://episodes/${sub.episode_id}` })).contents[0] as { text: string }).text,
    ) as { duration: number };
    expect(Math.abs((await decodedSeconds(audio.blob)) - ep.duration)).toBeLessThan(0.1);
  });

  it("v2 client: solo_expert and business_analysis end to end, each followed on notifications", async () => {
    const listeners: (() => void)[] = [];
    v2.client.setNotificationHandler("notifications/resources/updated", () => listeners.forEach((l) => l()));
    const text =
      "# Tides\n\nThe moon pulls the oceans toward it, and the water rises on the side that faces it.\n\n" +
      "# Spring and neap\n\nWhen sun and moon line up, tides are highest. At right angles, they are lowest.";
    for (const profile of ["solo_expert", "business_analysis"]) {
      const sub = structured<{ job_id: string; episode_id: string; episode_profile: string }>(
        await v2.client.callTool({ name: "generate_podcast", arguments: { episode_profile: profile, content: text } }),
      );
      expect(sub.episode_profile).toBe(profile);
      const uri = `podcast://jobs/${sub.job_id}`;
      const mine: (() => void)[] = [];
      listeners.length = 0;
      listeners.push(() => mine.forEach((l) => l()));
      const following = followByNotifications(
        async () => JSON.parse(((await v2.client.readResource({ uri })).contents[0] as { text: string }).text) as Job,
        (cb) => mine.push(cb),
      );
      await v2.client.subscribeResource({ uri });
      const seen = await following;
      expect(seen.at(-1)!.status, JSON.stringify(seen.at(-1))).toBe("completed");
      const ep = JSON.parse(
        (
          (await v2.client.readResource({ uri: `podcast://episodes/${sub.episode_id}` })).contents[0] as {
            text: string;
          }
        ).text,
      ) as {
        duration: number;
        chapters: { title: string }[];
        speaker_profile: { speakers: { name: string }[] };
        transcript: { speaker: string }[];
      };
      expect(ep.chapters.map((c) => c.title)).toEqual(["Tides", "Spring and neap"]);
      const speakers = new Set(ep.transcript.map((t) => t.speaker));
      expect(speakers).toEqual(new Set(ep.speaker_profile.speakers.map((s) => s.name)));
      const audio = (await v2.client.readResource({ uri: `podcast://episodes/${sub.episode_id}/audio` }))
        .contents[0] as { blob: string };
      expect(Math.abs((await decodedSeconds(audio.blob)) - ep.duration)).toBeLessThan(0.1);
      await v2.client.unsubscribeResource({ uri });
    }
  });
});
