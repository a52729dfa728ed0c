// A stale worker (paused past its lease, then resumed) cannot write to the episode its job made:
// checkpoints and the finished result are fenced by the job's lease in the same statement, so the
// successor's episode stays as it made it (issue 8 §11: it was overwritten with "canceled during audio").
import { describe, expect, it } from "vitest";
import { LeaseStore } from "../../src/queue/index.js";
import { EpisodeStore, type EpisodeResult } from "../../src/podcasts/episode-store.js";
import { caught, useSetup, type Setup } from "./support.js";

let s: Setup;
useSetup((x) => (s = x));

const result = (files: string): EpisodeResult => ({
  files,
  audio_file: "audio.mp3",
  duration: 12.5,
  outline: { segments: [{ name: "Only", description: "", size: "short" }] },
  transcript: [{ speaker: "Sam", text: "Hello.", segment: 0, start: 0, end: 1 }],
  chapters: [{ title: "Only", start: 0, end: 12.5 }],
  loudness: { integrated: -16, truePeak: -1.5 },
  stats: { turns: 1, synthesized: 1, cached: 0 },
  writer: { outline: "script", transcript: "script" },
});

describe("fenced episode writes", () => {
  it("the stale worker's checkpoint and result land nowhere; the successor's stay", async () => {
    const sub = await s.service.submitEpisode({
      episode_profile: "solo_expert",
      episode_name: "Fence",
      script: [{ speaker: "Sam", text: "Hello." }],
    });
    const leases = new LeaseStore(s.db, { leaseMs: 100 });
    const episodes = new EpisodeStore(s.db);
    const stale = (await leases.claimNext("worker-a"))!;
    expect(stale.jobId).toBe(sub.job_id);
    const staleFence = { jobId: stale.jobId, owner: stale.owner, attempt: stale.attempt };
    await episodes.checkpoints(sub.episode_id, staleFence).put("outline", { by: "a" });

    // Worker A stops answering; its lease expires and worker B takes the job over.
    await new Promise((r) => setTimeout(r, 200));
    expect(await leases.reapExpired()).toBe(1);
    const fresh = (await leases.claimNext("worker-b"))!;
    const freshFence = { jobId: fresh.jobId, owner: fresh.owner, attempt: fresh.attempt };
    await episodes.checkpoints(sub.episode_id, freshFence).put("outline", { by: "b" });
    expect(await episodes.complete(sub.episode_id, result("run-b-2"), freshFence)).toBeUndefined();

    // A resumes: every write it tries is refused, and says why.
    const cp = await caught(() => episodes.checkpoints(sub.episode_id, staleFence).put("outline", { by: "a, late" }));
    expect(cp).toMatchObject({ kind: "canceled" });
    expect(cp.message).toMatch(/no longer holds job/);
    expect((await caught(() => episodes.complete(sub.episode_id, result("run-a-1"), staleFence))).kind).toBe(
      "canceled",
    );

    const ep = await episodes.load(sub.episode_id);
    expect(ep.files).toBe("run-b-2");
    expect(ep.checkpoints.outline).toEqual({ by: "b" });
    // B's job is still B's: A's fenced job writes land nowhere either.
    expect(await leases.complete(stale, { late: true })).toBe(false);
    expect(await leases.complete(fresh, { episode_id: sub.episode_id })).toBe(true);
    expect((await s.service.getEpisode(sub.episode_id)).status).toBe("completed");
  });
});
