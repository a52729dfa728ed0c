import { describe, expect, it } from "vitest";
import { describeEpisode } from "../../src/pipeline/audio/description.js";
import { id3Tag, readChapters, readTags } from "../../src/pipeline/audio/id3.js";
import { encodeMp3 } from "../../src/pipeline/audio/mp3.js";
import { sine } from "../../src/pipeline/audio/test-signals.js";
import { tinyPng } from "./png.js";

describe("ID3 tags", () => {
  it("builds an ID3v2 tag with CHAP frames and a top-level ordered CTOC; unicode survives", async () => {
    const mp3 = await encodeMp3(sine(440, 1, 24_000, 0.3));
    const chapters = [
      { title: "Début — ça commence", start: 0, end: 12.3456 },
      { title: "日本語の章", start: 12.3456, end: 61 },
    ];
    const tag = id3Tag({ title: "Épisode 1", show: "Les Ondes", date: "2026-11-29T10:00:00Z" }, chapters);
    expect(tag.subarray(0, 3).toString("latin1")).toBe("ID3");
    // CTOC flags byte: top-level (0x02) | ordered (0x01).
    const ctoc = tag.indexOf("CTOC");
    expect(ctoc).toBeGreaterThan(0);
    const flags = tag[ctoc + 10 + "toc".length + 1]!;
    expect(flags & 0x03).toBe(0x03);
    const tagged = Buffer.concat([tag, mp3]);
    const tags = readTags(tagged);
    expect(tags).toMatchObject({ title: "Épisode 1", artist: "Les Ondes", year: "2026" });
    expect(tags.comment).toBeUndefined();
    expect(tags.cover).toBeUndefined();
    expect(readChapters(tagged)).toEqual([
      { title: "Début — ça commence", start: 0, end: 12.346 },
      { title: "日本語の章", start: 12.346, end: 61 },
    ]);
  });

  it("writes the description as the comment and the cover as a front-cover PNG picture", () => {
    const cover = tinyPng(32, 32);
    const tag = id3Tag({ title: "t", show: "s", date: "2026-01-01", description: "About tides.", cover }, []);
    const tags = readTags(tag);
    expect(tags.comment).toBe("About tides.");
    expect(tags.cover).toEqual({ mime: "image/png", type: 3, image: cover });
  });

  it("rejects a date without a year, a cover that is not a PNG, and an oversized cover, naming the field", () => {
    expect(() => id3Tag({ title: "t", show: "s", date: "yesterday" }, [])).toThrow(
      /meta.date: must start with a 4-digit year/,
    );
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...new Array(64).fill(0)]);
    expect(() => id3Tag({ title: "t", show: "s", date: "2026-01-01", cover: jpeg }, [])).toThrow(
      expect.objectContaining({ kind: "invalid_input", field: "meta.cover" }),
    );
    const huge = Buffer.concat([tinyPng(), Buffer.alloc(5 * 1024 * 1024)]);
    expect(() => id3Tag({ title: "t", show: "s", date: "2026-01-01", cover: huge }, [])).toThrow(
      /meta.cover: must be at most/,
    );
  });
});

describe("the episode description", () => {
  const chapters = [
    { title: "Welcome", start: 0, end: 61.2 },
    { title: "Two   tides\na day", start: 61.2, end: 3725 },
  ];

  it("says what the episode is about, then lists the chapters with their start times", () => {
    expect(describeEpisode("Tides", "How the moon moves the sea. Why there are two tides.", chapters)).toBe(
      "How the moon moves the sea. Why there are two tides.\n\nChapters:\n00:00 Welcome\n01:01 Two tides a day",
    );
  });

  it("falls back to the title, lists no chapters when there is one, shortens at a sentence", () => {
    expect(describeEpisode("Tides", "", [chapters[0]!])).toBe("Tides.");
    const long = `${"The sea rises and falls. ".repeat(40)}End.`;
    const d = describeEpisode("Tides", long, []);
    expect(d.length).toBeLessThanOrEqual(600);
    expect(d.endsWith("falls.")).toBe(true);
  });
});
