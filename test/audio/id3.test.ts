import { describe, expect, it } from "vitest";
import { readChapters, readTags, tagMp3 } from "../../src/pipeline/audio/id3.js";
import { encodeMp3 } from "../../src/pipeline/audio/mp3.js";
import { sine } from "../../src/pipeline/audio/test-signals.js";

describe("ID3 tags", () => {
  it("prepends an ID3v2 tag with CHAP frames and a top-level ordered CTOC; unicode survives", async () => {
    const mp3 = await encodeMp3(sine(440, 1, 24_000, 0.3));
    const chapters = [
      { title: "Début — ça commence", start: 0, end: 12.3456 },
      { title: "日本語の章", start: 12.3456, end: 61 },
    ];
    const tagged = tagMp3(mp3, { title: "Épisode 1", show: "Les Ondes", date: "2026-11-29T10:00:00Z" }, chapters);
    expect(tagged.subarray(0, 3).toString("latin1")).toBe("ID3");
    expect(tagged.subarray(tagged.length - mp3.length).equals(mp3)).toBe(true); // audio untouched
    // CTOC flags byte: top-level (0x02) | ordered (0x01).
    const ctoc = tagged.indexOf("CTOC");
    expect(ctoc).toBeGreaterThan(0);
    const flags = tagged[ctoc + 10 + "toc".length + 1]!;
    expect(flags & 0x03).toBe(0x03);
    const tags = readTags(tagged);
    expect(tags).toMatchObject({ title: "Épisode 1", artist: "Les Ondes", year: "2026" });
    expect(tags.comment).toBeUndefined();
    expect(readChapters(tagged)).toEqual([
      { title: "Début — ça commence", start: 0, end: 12.346 },
      { title: "日本語の章", start: 12.346, end: 61 },
    ]);
  });

  it("rejects a date without a year, naming the field", async () => {
    const mp3 = await encodeMp3(sine(440, 0.2, 24_000, 0.3));
    expect(() => tagMp3(mp3, { title: "t", show: "s", date: "yesterday" }, [])).toThrow(/meta.date: must start with a 4-digit year/);
  });
});
