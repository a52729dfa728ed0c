// The episode and job tools without MCP (generate_podcast, get_job_status, cancel_job,
// retry_episode, list_episodes, get_episode, delete_episode): arguments in, structured result out,
// every refusal an AppError naming the field. One episode is made for real by an in-process worker
// (built-in writer and voices).
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log.js";
import { Worker } from "../../src/worker/worker.js";
import { waitFor } from "../helpers/procs.js";
import { count } from "../podcasts/support.js";
import { useTools } from "./support.js";

const t = useTools();

const SCRIPT = [
  { speaker: "Alex", text: "Welcome. Today: lighthouses.", segment: 0 },
  { speaker: "Sam", text: "They guide ships home at night.", segment: 1 },
  { speaker: "Alex", text: "Thanks for listening.", segment: 1 },
];

type Submitted = {
  job_id: string;
  episode_id: string;
  status: string;
  message: string;
  episode_profile: string;
  episode_name: string;
};
type Job = {
  job_id: string;
  name: string;
  status: string;
  episode_id: string | null;
  attempts: number;
  max_attempts: number;
  progress: unknown;
  result: unknown;
};
type Episode = {
  id: string;
  name: string;
  status: string;
  job_id: string | null;
  audio_file: string | null;
  duration?: number;
  chapters?: { title: string; start: number; end: number }[];
  transcript?: { speaker: string; start: number; end: number }[];
  content?: string;
  checkpoints: string[];
};

describe("generate_podcast", () => {
  it("submits text with defaults chosen and says which", async () => {
    const sub = await t.call<Submitted>("generate_podcast", {
      content: "# Tides\n\nThe moon pulls the sea twice a day.",
    });
    expect(sub).toMatchObject({ status: "submitted", episode_profile: "tech_discussion", episode_name: "Tides" });
    expect(sub.job_id).toMatch(/^command:\w+$/);
    expect(sub.episode_id).toMatch(/^episode:\w+$/);
    expect(sub.message).toContain("(the default)");
  });

  it("names the field of each broken rule and writes nothing", async () => {
    const before = [await count(t.s.db, "episode"), await count(t.s.db, "command")];
    const two = await t.refused("generate_podcast", { content: "a b c", script: SCRIPT });
    expect(two).toMatchObject({ kind: "invalid_input", field: "script" });
    expect(two.message).toContain("give exactly one of content, notebook_id, sources or script (got content, script)");
    expect(await t.refused("generate_podcast", {})).toMatchObject({ field: "content" });
    expect(await t.refused("generate_podcast", { content: "x", episode_name: " " })).toMatchObject({
      field: "episode_name",
    });
    expect(await t.refused("generate_podcast", { content: "x", episode_profile: "no such" })).toMatchObject({
      field: "episode_profile",
    });
    expect(await t.refused("generate_podcast", { content: "x", episode_profile: "nope" })).toMatchObject({
      kind: "invalid_input",
      field: "episode_profile",
    });
    expect(await t.refused("generate_podcast", { content: "x", language: "english" })).toMatchObject({
      field: "language",
    });
    expect(
      await t.refused("generate_podcast", { script: [{ speaker: "Alex", text: "hi", segment: 1.5 }] }),
    ).toMatchObject({
      field: "script[0].segment",
    });
    expect(
      await t.refused("generate_podcast", { script: [{ speaker: "Alex", text: "hi", segment: 1_001 }] }),
    ).toMatchObject({
      field: "script[0].segment",
    });
    expect(await t.refused("generate_podcast", { script: [{ speaker: "Mallory", text: "hi" }] })).toMatchObject({
      field: "script[0].speaker",
    });
    expect(
      await t.refused("generate_podcast", { sources: [{ text: "a" }, { url: "https://example.com", file: "/x" }] }),
    ).toMatchObject({
      field: "sources[1].url",
      message: "sources[1].url: give exactly one of text, file or url (got file, url)",
    });
    expect(
      await t.refused("generate_podcast", { sources: Array.from({ length: 21 }, () => ({ text: "a" })) }),
    ).toMatchObject({
      field: "sources",
    });
    expect(await t.refused("generate_podcast", { notebook_id: "notebook:x; DELETE episode" })).toMatchObject({
      field: "notebook_id",
    });
    expect(await t.refused("generate_podcast", { content: "x", speed: 2 })).toMatchObject({ field: "arguments" });
    expect([await count(t.s.db, "episode"), await count(t.s.db, "command")]).toEqual(before);
  });
});

describe("jobs and episodes", () => {
  it("status, cancel, retry, list, get and delete, each with its refusals", async () => {
    const sub = await t.call<Submitted>("generate_podcast", {
      episode_profile: "tech_discussion",
      episode_name: "Lights",
      script: SCRIPT,
    });

    const pending = await t.call<Job>("get_job_status", { job_id: sub.job_id });
    expect(pending).toMatchObject({
      job_id: sub.job_id,
      name: "generate_podcast",
      status: "pending",
      episode_id: sub.episode_id,
      result: null,
    });
    expect(pending.max_attempts).toBeGreaterThan(0);
    // Nothing runs it: a short wait ends with the same status.
    expect((await t.call<Job>("get_job_status", { job_id: sub.job_id, wait_seconds: 0.2 })).status).toBe("pending");
    expect(await t.refused("get_job_status", { job_id: "episode:abc" })).toMatchObject({
      kind: "invalid_input",
      field: "job_id",
    });
    expect(await t.refused("get_job_status", { job_id: sub.job_id, wait_seconds: 51 })).toMatchObject({
      field: "wait_seconds",
    });
    expect(await t.refused("get_job_status", { job_id: "command:nope" })).toMatchObject({ kind: "not_found" });

    expect(await t.refused("retry_episode", { episode_id: sub.episode_id })).toMatchObject({
      kind: "conflict",
      field: "episode_id",
    });
    expect((await t.call<Job>("cancel_job", { job_id: sub.job_id })).status).toBe("canceled");
    expect((await t.call<Job>("cancel_job", { job_id: sub.job_id })).status).toBe("canceled");
    expect(await t.refused("cancel_job", { job_id: "command:a-b" })).toMatchObject({ field: "job_id" });

    const canceled = await t.call<{ episodes: { id: string; status: string }[] }>("list_episodes", {
      status: "canceled",
    });
    expect(canceled.episodes.map((e) => e.id)).toContain(sub.episode_id);
    expect(await t.refused("list_episodes", { status: "lost" })).toMatchObject({ field: "status" });
    expect(await t.refused("list_episodes", { limit: 201 })).toMatchObject({ field: "limit" });

    const again = await t.call<Submitted>("retry_episode", { episode_id: sub.episode_id });
    expect(again).toMatchObject({ episode_id: sub.episode_id, status: "submitted", episode_name: "Lights" });
    expect(again.job_id).not.toBe(sub.job_id);
    expect(await t.refused("retry_episode", { episode_id: "episode:nope" })).toMatchObject({ kind: "not_found" });

    const worker = new Worker({ db: t.s.db, registry: t.s.handlers, concurrency: 1, pollMs: 200, log: silentLogger });
    await worker.start();
    try {
      const done = await t.call<Job>("get_job_status", { job_id: again.job_id, wait_seconds: 50 });
      const finished = ["completed", "failed"].includes(done.status)
        ? done
        : await waitFor(
            async () => {
              const j = await t.call<Job>("get_job_status", { job_id: again.job_id });
              return ["completed", "failed"].includes(j.status) ? j : undefined;
            },
            90_000,
            200,
          );
      expect(finished).toMatchObject({ status: "completed", episode_id: sub.episode_id });
      expect(finished.result).toMatchObject({
        episode_id: sub.episode_id,
        audio_file: expect.stringMatching(/\.mp3$/),
      });
    } finally {
      await worker.stop(5_000);
    }

    const ep = await t.call<Episode>("get_episode", { episode_id: sub.episode_id });
    expect(ep).toMatchObject({ id: sub.episode_id, name: "Lights", status: "completed", job_id: again.job_id });
    expect(existsSync(ep.audio_file!)).toBe(true);
    expect(ep.duration).toBeGreaterThan(1);
    expect(ep.transcript!.map((turn) => turn.speaker)).toEqual(["Alex", "Sam", "Alex"]);
    expect(ep.chapters!.length).toBe(2);
    const short = await t.call<Episode>("get_episode", {
      episode_id: sub.episode_id.replace("episode:", ""),
      include_transcript: false,
    });
    expect(short.transcript).toBeUndefined();
    expect(short.content).toBeUndefined();
    expect(short.chapters!.length).toBe(2);
    expect(await t.refused("get_episode", { episode_id: "../../etc/passwd" })).toMatchObject({
      kind: "invalid_input",
      field: "episode_id",
    });
    expect(await t.refused("retry_episode", { episode_id: sub.episode_id })).toMatchObject({ kind: "conflict" });

    expect(await t.call("delete_episode", { episode_id: sub.episode_id })).toEqual({
      episode_id: sub.episode_id,
      deleted: true,
    });
    expect(existsSync(ep.audio_file!)).toBe(false);
    expect(await t.refused("delete_episode", { episode_id: sub.episode_id })).toMatchObject({ kind: "not_found" });
    expect(await t.refused("get_episode", { episode_id: sub.episode_id })).toMatchObject({ kind: "not_found" });
  });
});
