// The service over the real queue and a real in-process worker: submission checks everything
// before writing, a job makes the episode, retries resume from checkpoints and the speech cache.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log.js";
import { Worker } from "../../src/worker/worker.js";
import { MAX_CONTENT_CHARS } from "../../src/sources/index.js";
import { waitFor } from "../helpers/procs.js";
import { caught, count, useSetup, type Setup } from "./support.js";

let s: Setup;
useSetup((v) => (s = v));

const script = [
  { speaker: "Alex", text: "Welcome to the show. Today we talk about lighthouses." },
  { speaker: "sam", text: "They guide ships home at night." },
  { speaker: "Alex", text: "Thanks for listening." },
];

async function nothingWritten(fn: () => Promise<unknown>) {
  const before = [await count(s.db, "episode"), await count(s.db, "command")];
  const e = await caught(fn);
  expect([await count(s.db, "episode"), await count(s.db, "command")]).toEqual(before);
  return e;
}

describe("submitEpisode checks everything first and writes nothing on failure", () => {
  it("unknown episode profile, unknown speaker profile", async () => {
    const a = await nothingWritten(() =>
      s.service.submitEpisode({ episode_profile: "nope", episode_name: "x", content: "Some text." }),
    );
    expect(a).toMatchObject({ kind: "invalid_input", field: "episode_profile" });
    expect(a.message).toContain("tech_discussion");
    const b = await nothingWritten(() =>
      s.service.submitEpisode({
        episode_profile: "tech_discussion",
        speaker_profile: "ghosts",
        episode_name: "x",
        content: "Some text.",
      }),
    );
    expect(b).toMatchObject({ kind: "invalid_input", field: "speaker_profile" });
  });

  it("a voice that does not exist for its provider fails at submission", async () => {
    await s.service.saveSpeakerProfile({
      name: "later_broken",
      tts_provider: "builtin",
      speakers: [{ name: "Ann", voice_id: "slt" }],
    });
    // Simulate a profile that was valid once (or written around the service): the voice is gone now.
    await s.db.query("UPDATE speaker_profile:later_broken SET speakers[0].voice_id = 'kal_missing'").collect();
    const e = await nothingWritten(() =>
      s.service.submitEpisode({
        episode_profile: "solo_expert",
        speaker_profile: "later_broken",
        episode_name: "x",
        content: "Some text.",
      }),
    );
    expect(e).toMatchObject({ kind: "invalid_input", field: "speakers[0].voice_id" });
    expect(e.message).toContain("kal_missing");
  });

  it("content: none, two kinds, empty, over the limit; script: unknown speaker", async () => {
    const base = { episode_profile: "tech_discussion", episode_name: "x" };
    expect((await nothingWritten(() => s.service.submitEpisode(base))).message).toContain(
      "give exactly one of content, notebook_id, sources or script (got none)",
    );
    expect((await nothingWritten(() => s.service.submitEpisode({ ...base, content: "a", script }))).message).toContain(
      "(got content, script)",
    );
    expect(await nothingWritten(() => s.service.submitEpisode({ ...base, content: " \n " }))).toMatchObject({
      kind: "invalid_input",
      message: "content: must not be empty",
    });
    const big = await nothingWritten(() =>
      s.service.submitEpisode({ ...base, content: "x".repeat(MAX_CONTENT_CHARS + 1) }),
    );
    expect(big.message).toBe(`content: must be at most ${MAX_CONTENT_CHARS} characters (got ${MAX_CONTENT_CHARS + 1})`);
    const who = await nothingWritten(() =>
      s.service.submitEpisode({ ...base, script: [...script, { speaker: "Mallory", text: "hi" }] }),
    );
    expect(who).toMatchObject({ kind: "invalid_input", field: "script[3].speaker" });
    expect(who.message).toContain("Alex, Sam");
    const badSource = await nothingWritten(() =>
      s.service.submitEpisode({ ...base, sources: [{ text: "fine" }, { file: "/nonexistent/notes.md" }] }),
    );
    expect(badSource.kind).toBe("invalid_input");
    expect(badSource.field).toMatch(/^sources\[1\]\.file/);
    const hostile = await nothingWritten(() =>
      s.service.submitEpisode({ ...base, notebook_id: "notebook:x; DELETE episode" }),
    );
    expect(hostile).toMatchObject({ kind: "invalid_input", field: "notebook_id" });
  });
});

describe("episode lifecycle through the queue", () => {
  it("submit → cancel → retry resumes as a new job; completed → conflict unless forced; delete", async () => {
    const sub = await s.service.submitEpisode({ episode_profile: "tech_discussion", episode_name: "Lights", script });
    expect(sub).toMatchObject({ status: "submitted", episode_profile: "tech_discussion", episode_name: "Lights" });
    expect(sub.job_id).toMatch(/^command:/);
    const st = await s.service.jobStatus(sub.job_id);
    expect(st).toMatchObject({ status: "pending", episode_id: sub.episode_id });
    const ep0 = await s.service.getEpisode(sub.episode_id);
    expect(ep0.speaker_profile.name).toBe("tech_experts");
    expect(ep0.episode_profile.name).toBe("tech_discussion");

    // A pending job cannot be retried; canceled can, as a new job on the same episode.
    expect((await caught(() => s.service.retryEpisode(sub.episode_id))).kind).toBe("conflict");
    expect((await s.service.cancelJob(sub.job_id)).status).toBe("canceled");
    const again = await s.service.retryEpisode(sub.episode_id);
    expect(again.job_id).not.toBe(sub.job_id);
    expect(again.episode_id).toBe(sub.episode_id);

    // Editing the profile now does not change the episode: it keeps its copy.
    await s.service.saveSpeakerProfile({
      name: "tech_experts",
      tts_provider: "builtin",
      speakers: [{ name: "Zed", voice_id: "awb" }],
    });

    const worker = new Worker({ db: s.db, registry: s.handlers, concurrency: 1, pollMs: 200, log: silentLogger });
    await worker.start();
    try {
      const done = await waitFor(
        async () => {
          const j = await s.service.jobStatus(again.job_id);
          return j.status === "completed" || j.status === "failed" ? j : undefined;
        },
        90_000,
        200,
      );
      expect(done.error_message).toBeNull();
      expect(done).toMatchObject({ status: "completed", episode_id: sub.episode_id });
      const ep = await s.service.getEpisode(sub.episode_id);
      expect(ep.status).toBe("completed");
      expect(existsSync(ep.audio_file!)).toBe(true);
      expect(ep.transcript!.map((t) => (t as { speaker: string }).speaker)).toEqual(["Alex", "Sam", "Alex"]);
      expect(ep.duration).toBeGreaterThan(2);
      expect(ep.checkpoints).toEqual(expect.arrayContaining(["outline", "transcript"]));
      expect((await s.service.episodeFile(sub.episode_id, "vtt")).key).toMatch(
        /^episodes\/\w+\/run-\w+-1\/transcript\.vtt$/,
      );
      expect((await s.service.readEpisodeFile(sub.episode_id, "vtt")).toString("utf8")).toMatch(/^WEBVTT/);
      const listed = await s.service.listEpisodes({ status: "completed" });
      expect(listed.map((e) => e.id)).toContain(sub.episode_id);
      expect((await s.service.feedEpisodes()).find((f) => f.id === sub.episode_id)?.bytes).toBeGreaterThan(1000);

      const c = await caught(() => s.service.retryEpisode(sub.episode_id));
      expect(c).toMatchObject({ kind: "conflict" });
      expect(c.message).toContain("force");

      // Forced: made again from scratch, but every turn comes from the speech cache.
      const forced = await s.service.retryEpisode(sub.episode_id, true);
      await waitFor(async () => (await s.service.jobStatus(forced.job_id)).status === "completed", 90_000, 200);
      const remade = await s.service.getEpisode(sub.episode_id);
      expect(remade.stats).toMatchObject({ turns: 3, synthesized: 0, cached: 3 });
      expect(remade.transcript!.map((t) => (t as { speaker: string }).speaker)).toEqual(["Alex", "Sam", "Alex"]);
    } finally {
      await worker.stop(5_000);
    }

    const audio = (await s.service.getEpisode(sub.episode_id)).audio_file!;
    expect(await s.service.deleteEpisode(sub.episode_id)).toEqual({ episode_id: sub.episode_id, deleted: true });
    expect(existsSync(audio)).toBe(false);
    expect((await caught(() => s.service.getEpisode(sub.episode_id))).kind).toBe("not_found");
    expect((await caught(() => s.service.deleteEpisode(sub.episode_id))).kind).toBe("not_found");
  });

  it("a running job: conflict while its lease is live, put back once its worker is gone", async () => {
    const sub = await s.service.submitEpisode({
      episode_profile: "solo_expert",
      episode_name: "Orphan",
      script: [{ speaker: "Sam", text: "Hello." }],
    });
    const job = sub.job_id.replace("command:", "");
    // What a worker's claim leaves on the job (queue fields), with a lease that is still valid...
    await s.db
      .query(
        "UPDATE type::record('command', $job) SET status = 'running', lease_owner = 'w1', lease_until = time::now() + 1m",
        { job },
      )
      .collect();
    const live = await caught(() => s.service.retryEpisode(sub.episode_id));
    expect(live).toMatchObject({ kind: "conflict" });
    expect(live.message).toContain("is running");
    // ...and after that worker died and its lease ran out: the same job goes back to pending, not a second one.
    await s.db.query("UPDATE type::record('command', $job) SET lease_until = time::now() - 1m", { job }).collect();
    const jobsBefore = await count(s.db, "command");
    const back = await s.service.retryEpisode(sub.episode_id);
    expect(back.job_id).toBe(sub.job_id);
    expect((await s.service.jobStatus(sub.job_id)).status).toBe("pending");
    expect(await count(s.db, "command")).toBe(jobsBefore);
    await s.service.cancelJob(sub.job_id);
  });

  it("rejects hostile episode and job ids", async () => {
    for (const id of ["../../etc/passwd", "episode:x; DELETE episode", "command:abc"]) {
      expect((await caught(() => s.service.getEpisode(id))).kind, id).toBe("invalid_input");
      expect((await caught(() => s.service.episodeFile(id, "mp3"))).kind, id).toBe("invalid_input");
    }
    expect((await caught(() => s.service.jobStatus("command:x; DELETE command"))).kind).toBe("invalid_input");
    expect((await caught(() => s.service.jobStatus("episode:abc"))).kind).toBe("invalid_input");
  });
});
