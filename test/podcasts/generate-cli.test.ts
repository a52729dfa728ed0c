// The headline check, offline and end to end: `podcast-mcp generate page.md` as a real process
// makes an MP3 whose decoded length is the stored duration, with one chapter per outline segment,
// at -16 LUFS. Then the store is opened here (the CLI has exited and released its lock) to compare.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { MPEGDecoder } from "mpg123-decoder";
import { afterAll, describe, expect, it } from "vitest";
import { connect, connectFromConfig, startDbHost } from "../../src/db/index.js";
import { loadConfig } from "../../src/config.js";
import { silentLogger } from "../../src/log.js";
import { readChapters } from "../../src/pipeline/audio/id3.js";
import { integratedLoudness } from "../../src/pipeline/audio/loudness.js";
import { cleanEnv, ROOT, spawnCli, stopAll, tmpDataDir } from "../helpers/procs.js";

afterAll(stopAll);

const PAGE = path.join(ROOT, "test", "fixtures", "page.md");

describe("podcast-mcp generate", () => {
  it("makes an MP3 from a file, offline: duration, chapters and loudness as stored", async () => {
    const dataDir = tmpDataDir();
    const p = spawnCli(["generate", PAGE, "--data-dir", dataDir, "--name", "Lighthouses", "--profile", "tech_discussion"], cleanEnv());
    const { code } = await p.exited;
    expect(code, p.stderr()).toBe(0);
    const lines = p.stdout().split("\n").filter(Boolean);
    expect(lines).toHaveLength(1);
    const mp3Path = lines[0]!;
    expect(path.isAbsolute(mp3Path)).toBe(true);
    expect(mp3Path.startsWith(path.join(dataDir, "episodes"))).toBe(true);
    expect(existsSync(mp3Path)).toBe(true);
    expect(p.stderr()).toContain("speech");

    const db = await connect({ url: `rocksdb://${path.join(dataDir, "db")}`, namespace: "podcast_mcp", database: "main" });
    let episode: { id: { id: string }; duration: number; outline: { segments: { name: string }[] }; chapters: { title: string }[]; files: string; audio_file: string };
    try {
      const [rows] = await db.query<[(typeof episode)[]]>("SELECT * FROM episode").collect();
      expect(rows).toHaveLength(1);
      episode = rows[0]!;
    } finally {
      await db.close();
    }
    // The CLI runs no job: the record holds the result, published in a folder of this run.
    expect(mp3Path).toBe(path.join(dataDir, "episodes", String(episode.id.id), episode.files, episode.audio_file));

    const mp3 = readFileSync(mp3Path);
    const decoder = new MPEGDecoder();
    await decoder.ready;
    try {
      const decoded = decoder.decode(new Uint8Array(mp3));
      expect(decoded.errors).toEqual([]);
      const seconds = decoded.samplesDecoded / decoded.sampleRate;
      expect(Math.abs(seconds - episode.duration)).toBeLessThanOrEqual(0.1);
      expect(Math.abs(integratedLoudness({ samples: decoded.channelData[0]!, sampleRate: decoded.sampleRate }) - -16)).toBeLessThanOrEqual(0.5);
    } finally {
      decoder.free();
    }

    const chapters = readChapters(mp3);
    expect(chapters.map((c) => c.title)).toEqual(episode.outline.segments.map((s) => s.name));
    expect(chapters).toHaveLength(3); // the built-in writer: one chapter per heading with text (page.md has 3)
  });

  it("goes through the local DB host when one runs (the store is locked to it), with literal text", async () => {
    const dataDir = tmpDataDir();
    const host = await startDbHost({ dataDir, log: silentLogger });
    try {
      const p = spawnCli(["generate", "Tides rise twice a day. The moon pulls the oceans. Sailors plan around them.", "--profile", "solo_expert", "--data-dir", dataDir], cleanEnv());
      const { code } = await p.exited;
      expect(code, p.stderr()).toBe(0);
      const mp3Path = p.stdout().trim();
      expect(existsSync(mp3Path)).toBe(true);
      const db = await connectFromConfig(loadConfig({}, { dataDir }));
      try {
        const [rows] = await db.query<[{ name: string; origin: { kind: string; sources: { kind: string }[] } }[]]>("SELECT name, origin FROM episode").collect();
        expect(rows).toHaveLength(1);
        // No title given: the first words as written, marked as cut.
        expect(rows[0]!.name).toBe("Tides rise twice a day. The moon pulls…");
        expect(rows[0]!.origin).toMatchObject({ kind: "sources", sources: [{ kind: "text" }] });
      } finally {
        await db.close();
      }
    } finally {
      await host.stop();
    }
  });

  it("refuses a bad profile and empty input with exit 2 and nothing on stdout", async () => {
    const dataDir = tmpDataDir();
    const bad = spawnCli(["generate", "Some words about the sea.", "--profile", "nope", "--data-dir", dataDir], cleanEnv());
    expect((await bad.exited).code).toBe(2);
    expect(bad.stdout()).toBe("");
    expect(bad.stderr()).toContain('no episode profile named "nope"');
    const none = spawnCli(["generate", "--data-dir", dataDir], cleanEnv());
    expect((await none.exited).code).toBe(2);
    expect(none.stderr()).toContain("give at least one source");
  });
});
