import { describe, expect, it } from "vitest";
import { joinClips } from "../../src/pipeline/audio/join.js";
import { speechLike } from "../../src/pipeline/audio/test-signals.js";
import {
  clockTime,
  toJson,
  toMarkdown,
  toWebVtt,
  vttTime,
  type TranscriptDoc,
} from "../../src/pipeline/audio/transcript-files.js";

// Real timings: the document comes from joining real clips.
function doc(): TranscriptDoc {
  const lines = [
    ["Ana", 0, "Welcome to Sea Notes."],
    ["Ben", 0, "Glad to be here <really> & ready --> go."],
    ["Ana", 1, "Let's talk\n\nabout tides."],
    ["Ben", 1, "The moon does most of it."],
  ] as const;
  const joined = joinClips(
    lines.map(([speaker, segment, text], i) => ({
      pcm: speechLike(1 + i * 0.5, 24_000, { seed: i + 1 }),
      turn: { speaker, text, segment },
    })),
    { segmentNames: ["Hello", "Tides & moons"] },
  );
  return {
    title: "Tides",
    show: "Sea Notes",
    date: "2026-11-29",
    durationSeconds: joined.pcm.samples.length / 24_000,
    turns: joined.turns,
    chapters: joined.chapters,
  };
}

describe("WebVTT", () => {
  it("is valid WEBVTT: header, numbered cues with HH:MM:SS.mmm times, <v> spans, escaped text", () => {
    const d = doc();
    const vtt = toWebVtt(d.turns);
    expect(vtt.startsWith("WEBVTT\n\n")).toBe(true);
    const blocks = vtt.trim().split("\n\n").slice(1);
    expect(blocks).toHaveLength(4);
    blocks.forEach((b, i) => {
      const [id, timing, text, ...rest] = b.split("\n");
      expect(rest).toEqual([]); // a cue is exactly 3 lines: no blank line or stray line inside
      expect(id).toBe(String(i + 1));
      const m = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3})$/.exec(timing!);
      expect(m).not.toBeNull();
      const start = +m![1]! * 3600 + +m![2]! * 60 + +m![3]! + +m![4]! / 1000;
      const end = +m![5]! * 3600 + +m![6]! * 60 + +m![7]! + +m![8]! / 1000;
      expect(start).toBeCloseTo(d.turns[i]!.start, 3);
      expect(end).toBeCloseTo(d.turns[i]!.end, 3);
      expect(text).toMatch(new RegExp(`^<v ${d.turns[i]!.speaker}>.*</v>$`));
      expect(text).not.toContain("-->");
    });
    expect(blocks[1]).toContain("Glad to be here &lt;really&gt; &amp; ready --&gt; go.");
    expect(blocks[2]).toContain("<v Ana>Let's talk about tides.</v>");
  });

  it("formats times past an hour", () => {
    expect(vttTime(3725.5)).toBe("01:02:05.500");
    expect(vttTime(0.0004)).toBe("00:00:00.000");
    expect(clockTime(65.9)).toBe("01:05");
    expect(clockTime(3725)).toBe("1:02:05");
  });
});

describe("Markdown", () => {
  it("has the title, chapters as headings in order, and **Speaker:** lines with [mm:ss]", () => {
    const d = doc();
    const md = toMarkdown(d);
    const lines = md.split("\n").filter((l) => l !== "");
    expect(lines[0]).toBe("# Tides");
    expect(lines[1]).toContain("Sea Notes");
    expect(lines[2]).toBe("## Hello [00:00]");
    expect(lines[3]).toBe(`**Ana:** [${clockTime(d.turns[0]!.start)}] Welcome to Sea Notes.`);
    expect(lines[4]).toMatch(/^\*\*Ben:\*\* \[00:0\d\] Glad to be here/);
    expect(lines[5]).toBe(`## Tides & moons [${clockTime(d.chapters[1]!.start)}]`);
    expect(lines[6]).toBe(`**Ana:** [${clockTime(d.turns[2]!.start)}] Let's talk about tides.`);
    expect(lines).toHaveLength(8);
  });
});

describe("JSON", () => {
  it("round-trips the timings (to the millisecond) and the chapters", () => {
    const d = doc();
    const j = JSON.parse(toJson(d));
    expect(j.version).toBe(1);
    expect(j.title).toBe("Tides");
    expect(j.duration_seconds).toBeCloseTo(d.durationSeconds, 3);
    expect(j.turns).toHaveLength(4);
    j.turns.forEach((t: { start: number; end: number; speaker: string }, i: number) => {
      expect(t.speaker).toBe(d.turns[i]!.speaker);
      expect(t.start).toBeCloseTo(d.turns[i]!.start, 3);
      expect(t.end).toBeCloseTo(d.turns[i]!.end, 3);
    });
    expect(j.chapters.map((c: { title: string }) => c.title)).toEqual(["Hello", "Tides & moons"]);
  });
});
