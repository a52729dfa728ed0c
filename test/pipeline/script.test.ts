// Checks a ready script and content must pass before any provider is paid; the service runs the
// same functions at submission, so these messages are what an agent reads.
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.js";
import { MAX_TURN_CHARS } from "../../src/sources/index.js";
import { prepareContent, prepareScript } from "../../src/pipeline/run.js";
import { outlineForScript, usableOutline, writeOutline } from "../../src/pipeline/stages/outline.js";
import { splitLongTurn } from "../../src/script/split-turn.js";
import { runningSummary } from "../../src/pipeline/stages/transcript.js";
import { OfflineWriter } from "../../src/providers/writer/offline-writer.js";
import { SPEAKERS } from "./support.js";

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}

describe("prepareScript", () => {
  it("refuses an empty script, empty texts and bad segments, naming the turn", () => {
    expect(thrown(() => prepareScript([], SPEAKERS)).message).toBe("script: must have at least one turn");
    const blank = thrown(() =>
      prepareScript(
        [
          { speaker: "Alice", text: "Hi." },
          { speaker: "Bob", text: "  \n " },
        ],
        SPEAKERS,
      ),
    );
    expect([blank.kind, blank.field, blank.message]).toEqual([
      "invalid_input",
      "script[1].text",
      "script[1].text: must not be empty",
    ]);
    expect(thrown(() => prepareScript([{ speaker: "Alice", text: "Hi.", segment: -1 }], SPEAKERS)).message).toBe(
      "script[0].segment: must be a whole number from 0 to 1000 (got -1)",
    );
    expect(thrown(() => prepareScript([{ speaker: "Alice", text: "Hi.", segment: 1.5 }], SPEAKERS)).field).toBe(
      "script[0].segment",
    );
    expect(
      thrown(() => prepareScript([{ speaker: undefined as unknown as string, text: "Hi." }], SPEAKERS)).message,
    ).toBe('script[0].speaker: must be a speaker of profile "duo" (Alice, Bob); got null');
  });

  it("renumbers segments densely in order of appearance and splits an over-long turn", () => {
    const long = Array.from({ length: 400 }, (_, i) => `Sentence number ${i} is here.`).join(" ");
    const turns = prepareScript(
      [
        { speaker: "bob", text: "Intro.", segment: 7 },
        { speaker: "alice", text: long, segment: 3 },
        { speaker: "Bob", text: "Back to seven.", segment: 7 },
      ],
      SPEAKERS,
    );
    expect(turns[0]).toEqual({ speaker: "Bob", text: "Intro.", segment: 0 });
    const middle = turns.slice(1, -1);
    expect(middle.length).toBeGreaterThan(1);
    expect(middle.every((t) => t.speaker === "Alice" && t.segment === 1 && t.text.length <= MAX_TURN_CHARS)).toBe(true);
    expect(middle.map((t) => t.text).join(" ")).toBe(long);
    expect(middle.every((t) => t.text.endsWith("."))).toBe(true); // cut at sentence ends
    expect(turns.at(-1)).toEqual({ speaker: "Bob", text: "Back to seven.", segment: 0 });
  });
});

describe("prepareContent", () => {
  it("normalises and enforces the limits", () => {
    expect(prepareContent("  a\r\n\r\n\r\nb  ")).toBe("a\n\nb");
    expect(thrown(() => prepareContent(undefined)).message).toBe("content: must not be empty");
    expect(thrown(() => prepareContent("x".repeat(11), 10)).message).toBe(
      "content: must be at most 10 characters (got 11)",
    );
  });
});

describe("splitLongTurn and runningSummary", () => {
  it("cuts a word-less blob anywhere, keeping every character", () => {
    const blob = "x".repeat(25);
    const parts = splitLongTurn({ speaker: "A", text: blob, segment: 0 }, 10);
    expect(parts.map((p) => p.text.length)).toEqual([10, 10, 5]);
    expect(parts.map((p) => p.text).join("")).toBe(blob);
  });
  it("summarises the covered segments and only the last few turns, shortened", () => {
    const outline = {
      segments: ["One", "Two", "Three"].map((name) => ({ name, description: "", size: "short" as const })),
    };
    const written = [
      Array.from({ length: 5 }, (_, i) => ({ speaker: "A", text: `early ${i}`, segment: 0 })),
      [{ speaker: "B", text: "y".repeat(1000), segment: 1 }],
    ];
    const s = runningSummary(outline, written);
    expect(s).toContain("Segments already covered: One; Two.");
    expect(s).not.toContain("early 0");
    expect(s).toContain("A: early 4");
    expect(s.length).toBeLessThan(600);
  });
});

describe("a one-segment outline", () => {
  // num_segments (3 to 20) is for profiles; a writer may return fewer when the source is short.
  it("passes the outline stage and its checkpoint check", async () => {
    const writerInput = {
      content: "Cats sleep a lot.",
      briefing: "",
      episodeName: "Cat Facts",
      language: "en",
      speakers: SPEAKERS.speakers,
      numSegments: 3,
    };
    const outline = await writeOutline(new OfflineWriter(), writerInput, new AbortController().signal);
    expect(outline.segments.map((s) => s.name)).toEqual(["Cat Facts"]);
    expect(usableOutline(structuredClone(outline))).toEqual(outline);
    expect(usableOutline({ segments: [] })).toBeUndefined();
    const script = outlineForScript([{ speaker: "Alice", text: "Hi.", segment: 0 }], "Cat Facts");
    expect(script.segments.map((s) => s.name)).toEqual(["Cat Facts"]);
  });
});
