// The frame's logic that needs no browser: times, the item playing at t, the episode record read
// defensively, file names, job snapshots, and the follow loop against a scripted host.
import { describe, expect, it } from "vitest";
import { currentIndex, toEpisodeView } from "../../src/player/frame/episode.js";
import { followJob, toSnapshot, type JobSnapshot } from "../../src/player/frame/follow-job.js";
import { formatPosition, formatTime } from "../../src/player/frame/format.js";
import type { Host } from "../../src/player/frame/host.js";
import { stageLabel } from "../../src/player/frame/job-view.js";
import { fileNameFor } from "../../src/player/frame/player-view.js";

describe("times and positions", () => {
  it("formats seconds as a listener reads them", () => {
    expect([0, 7.9, 65, 228.4, 3725, Number.NaN, -3].map(formatTime)).toEqual([
      "0:00",
      "0:07",
      "1:05",
      "3:48",
      "1:02:05",
      "0:00",
      "0:00",
    ]);
    expect(formatPosition(62, 228)).toEqual({ text: "1:02 / 3:48", label: "1:02 of 3:48" });
  });

  it("finds the item playing at t: the last one started, the previous one during a pause", () => {
    const turns = [{ start: 0.35 }, { start: 7 }, { start: 9.4 }, { start: 24.5 }];
    expect([0, 0.35, 6.9, 7, 9.39, 9.4, 1000].map((t) => currentIndex(turns, t))).toEqual([-1, 0, 0, 1, 1, 2, 3]);
    expect(currentIndex([], 5)).toBe(-1);
  });
});

describe("the episode record", () => {
  it("takes chapters, turns and speakers in profile order, then any other speaker", () => {
    const view = toEpisodeView({
      id: "episode:x",
      name: "Lights",
      duration: 30,
      chapters: [
        { title: "One", start: 0, end: 15 },
        { title: "Two", start: 15, end: 30 },
      ],
      transcript: [
        { speaker: "Sam", text: "b", start: 5, end: 9, segment: 0 },
        { speaker: "Alex", text: "a", start: 0.3, end: 4 },
        { speaker: "Guest", text: "c", start: 10, end: 12 },
      ],
      speaker_profile: { speakers: [{ name: "Alex" }, { name: "Sam" }] },
    });
    expect(view.turns.map((t) => t.text)).toEqual(["a", "b", "c"]);
    expect(view.speakers).toEqual(["Alex", "Sam", "Guest"]);
    expect(view.chapters[1]).toEqual({ title: "Two", start: 15, end: 30 });
    expect(view.duration).toBe(30);
  });

  it("shows what it can of a record with missing or odd fields", () => {
    const view = toEpisodeView({
      transcript: [null, { text: 3, start: "x" }, { speaker: "A", text: "ok", start: 1, end: 2 }],
      chapters: "no",
    });
    expect(view).toMatchObject({ name: "Podcast episode", chapters: [], duration: 2, speakers: ["?", "A"] });
    expect(toEpisodeView(undefined).turns).toEqual([]);
  });

  it("names the download after the episode, safely", () => {
    expect(fileNameFor("Keepers of the light")).toBe("Keepers-of-the-light.mp3");
    expect(fileNameFor("../../etc/passwd")).toBe("etc-passwd.mp3");
    expect(fileNameFor("Café déjà vu")).toBe("Cafe-deja-vu.mp3");
    expect(fileNameFor("///")).toBe("episode.mp3");
  });
});

describe("following a job", () => {
  it("reads get_job_status results into snapshots with readable stages", () => {
    expect(
      toSnapshot({
        status: "running",
        progress: { fraction: 0.4, stage: "speech", message: "speaking 3 turns" },
        error_message: null,
      }),
    ).toEqual({
      status: "running",
      fraction: 0.4,
      stage: "speech",
      message: "speaking 3 turns",
      error: null,
    });
    expect(toSnapshot({ status: "completed", progress: null }).fraction).toBe(1);
    expect(stageLabel("speech", "running")).toBe("Recording the voices");
    expect(stageLabel(undefined, "pending")).toBe("Waiting for a worker");
  });

  /** A host that answers get_job_status from a script; everything else is refused. */
  function scriptedHost(answers: (Record<string, unknown> | Error)[], calls: Record<string, unknown>[]): Host {
    return {
      async callTool(name, args) {
        if (name !== "get_job_status") throw new Error(`unexpected tool ${name}`);
        calls.push(args);
        const next = answers.shift() ?? { status: "running", progress: { fraction: 0.1 } };
        if (next instanceof Error) throw next;
        return next;
      },
      readJson: async () => ({}),
      readBase64: async () => ({ base64: "", mimeType: "" }),
      canCallTools: () => true,
      canReadResources: () => true,
      canDownload: () => false,
    };
  }

  it("waits between reads, survives a hiccup, never reports progress backwards, and ends on completion", async () => {
    const calls: Record<string, unknown>[] = [];
    const seen: JobSnapshot[] = [];
    const host = scriptedHost(
      [
        { status: "pending", progress: null },
        { status: "running", progress: { fraction: 0.5, stage: "speech" } },
        new Error("host busy"),
        { status: "running", progress: { fraction: 0.3, stage: "speech" } }, // a stale answer
        { status: "running", progress: { fraction: 0.8, stage: "audio" } },
        { status: "completed", progress: { fraction: 1, stage: "audio" } },
      ],
      calls,
    );
    const end = await followJob(host, "command:j1", (s) => seen.push(s), new AbortController().signal).done;
    expect(end.status).toBe("completed");
    expect(seen.map((s) => s.fraction)).toEqual([0, 0.5, 0.8, 1]);
    expect(calls[0]).toEqual({ job_id: "command:j1" }); // the first read does not wait
    expect(calls.slice(1).every((c) => c.wait_seconds === 1.5)).toBe(true);
  });

  it("gives up after three failures in a row with the host's error", async () => {
    const host = scriptedHost([new Error("gone"), new Error("gone"), new Error("still gone")], []);
    await expect(followJob(host, "command:j2", () => {}, new AbortController().signal).done).rejects.toThrow(
      "still gone",
    );
  });
});
