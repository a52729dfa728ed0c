// The small stores: speech cache (files + records), artifact paths (no escape), and waiting on a
// job's change through the service.
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataDirStore } from "../../src/artifacts/data-dir-store.js";
import { EpisodeFiles } from "../../src/podcasts/artifacts.js";
import { createSpeechCache } from "../../src/podcasts/speech-cache.js";
import { speechCacheKey } from "../../src/providers/tts/cache-key.js";
import { silentLogger } from "../../src/log.js";
import { stopAll, tmpDataDir, waitFor } from "../helpers/procs.js";
import { caught, count, setup, type Setup } from "./support.js";

let s: Setup;
let dir: string;
beforeAll(async () => {
  dir = tmpDataDir();
  s = await setup(dir);
});
afterAll(async () => {
  await s.db.close();
  await stopAll();
});

describe("speech cache", () => {
  it("stores a clip as a file plus a record and reads back the same samples", async () => {
    const cache = createSpeechCache(s.db, createDataDirStore(dir), silentLogger);
    const key = speechCacheKey("builtin", "flite", "slt", undefined, "Hello there.", "en");
    expect(await cache.get(key)).toBeUndefined();
    const samples = Float32Array.from({ length: 1001 }, (_, i) => Math.sin(i / 7) * 0.5);
    await cache.put(key, { samples, sampleRate: 16_000 }, { provider: "builtin", model: "flite", voice: "slt" });
    const back = await cache.get(key);
    expect(back?.sampleRate).toBe(16_000);
    expect(Array.from(back!.samples)).toEqual(Array.from(samples));
    expect(readdirSync(path.join(dir, "cache", "tts"))).toEqual([`${key}.pcm`]);
    expect(await count(s.db, "tts_cache")).toBe(1);

    // A truncated file is not trusted: the clip will be made again.
    writeFileSync(path.join(dir, "cache", "tts", `${key}.pcm`), Buffer.alloc(10));
    expect(await cache.get(key)).toBeUndefined();
    // Keys that are not hashes never become file names.
    expect(await cache.get("../../etc/passwd")).toBeUndefined();
    await expect(cache.put("../x", { samples, sampleRate: 16_000 })).rejects.toThrow(/must be hex/);
  });
});

describe("episode files", () => {
  it("keeps every key inside episodes/<id>/, in the run's folder", async () => {
    const files = new EpisodeFiles(createDataDirStore(dir));
    expect(files.key("episode:abc123", "", "audio.mp3")).toBe("episodes/abc123/audio.mp3");
    expect(files.key("abc123", "run-x-1", "audio.mp3")).toBe("episodes/abc123/run-x-1/audio.mp3");
    for (const bad of ["../x", "episode:../../x", "a/b", "episode:x;y", ""]) {
      expect(() => files.key(bad, "", "audio.mp3"), bad).toThrow(/episode_id/);
    }
    for (const bad of ["../audio.mp3", "a/../b.mp3", "..", ".hidden"]) {
      expect(() => files.key("abc", "", bad), bad).toThrow(/name/);
      expect(() => files.key("abc", bad, "audio.mp3"), bad).toThrow(/folder/);
    }
    const f = await files.file("abc123", "run-x-1", "mp3");
    expect(f.info).toBeUndefined();
    expect(f.localPath).toBe(path.join(dir, "episodes", "abc123", "run-x-1", "audio.mp3"));
    await files.removeEpisode("episode:neverexisted");
    expect(existsSync(path.join(dir, "episodes", "neverexisted"))).toBe(false);
  });
});

describe("live updates", () => {
  it("reports episodes created and deleted, and changes of podcast jobs with their episode", async () => {
    let listChanges = 0;
    const jobs: { job_id: string; status: string; episode_id: string | null }[] = [];
    const stopList = await s.service.watchEpisodeList(() => listChanges++);
    const stopJobs = await s.service.watchJobs((j) => jobs.push(j));
    try {
      const sub = await s.service.submitEpisode({
        episode_profile: "solo_expert",
        episode_name: "Live",
        script: [{ speaker: "Sam", text: "Hi." }],
      });
      await s.service.cancelJob(sub.job_id);
      await s.service.deleteEpisode(sub.episode_id);
      await waitFor(() => listChanges >= 2 && jobs.some((j) => j.status === "canceled"), 5_000);
      expect(jobs.filter((j) => j.job_id === sub.job_id).every((j) => j.episode_id === sub.episode_id)).toBe(true);
    } finally {
      await stopList();
      await stopJobs();
    }
  });
});

describe("waiting on a job", () => {
  it("returns when the status changes, or after the wait with the status unchanged", async () => {
    const sub = await s.service.submitEpisode({
      episode_profile: "solo_expert",
      episode_name: "Wait",
      script: [{ speaker: "Sam", text: "Hello." }],
    });
    const now = await s.service.jobStatus(sub.job_id);
    const t0 = Date.now();
    const unchanged = await s.service.waitForJobChange(sub.job_id, now, 300, new AbortController().signal, () => {});
    expect(unchanged.status).toBe("pending");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);

    const events: string[] = [];
    // Awaited below: a cancel still reading after the test ended hit the closed database (the
    // suite's intermittent "You must be connected" unhandled rejection).
    const canceling = new Promise((r) => setTimeout(r, 100)).then(() => s.service.cancelJob(sub.job_id));
    const changed = await s.service.waitForJobChange(sub.job_id, now, 10_000, new AbortController().signal, (x) =>
      events.push(x.status),
    );
    await canceling;
    expect(changed).toMatchObject({ status: "canceled", episode_id: sub.episode_id });
    expect(events).toContain("canceled");
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(
      (await caught(() => s.service.waitForJobChange("command:x;y", now, 10, new AbortController().signal, () => {})))
        .kind,
    ).toBe("invalid_input");
  });
});
