// The built-in writer on a real page of prose: structure, coverage of the source, determinism.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.js";
import type { Outline, Speaker, Turn, WriterInput } from "../../src/core/model.js";
import { OfflineWriter } from "../../src/providers/writer/offline-writer.js";
import { ROOT } from "../helpers/procs.js";

const PROSE = readFileSync(path.join(ROOT, "test/fixtures/prose.md"), "utf8");
const speaker = (name: string): Speaker => ({ name, voice_id: "v", backstory: "", personality: "" });
const signal = new AbortController().signal;

function input(over: Partial<WriterInput> = {}): WriterInput {
  return {
    content: PROSE,
    briefing: "A calm, curious episode.",
    episodeName: "Lighthouse Hour",
    language: "en-US",
    speakers: [speaker("Alice"), speaker("Bob"), speaker("Carol")],
    numSegments: 4,
    ...over,
  };
}

async function script(inp: WriterInput, outline?: Outline): Promise<{ outline: Outline; turns: Turn[] }> {
  const w = new OfflineWriter();
  const o = outline ?? (await w.outline(inp, signal));
  const turns: Turn[] = [];
  for (let i = 0; i < o.segments.length; i++) turns.push(...(await w.segment(inp, o, i, "", signal)));
  return { outline: o, turns };
}

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** Every word of `needle` appears in `hay` in the same order (other words may come between). */
function isSubsequence(needle: string[], hay: string[]): number {
  let j = 0;
  for (const w of hay) if (j < needle.length && w === needle[j]) j++;
  return j;
}

describe("offline writer", () => {
  it("makes one segment per heading of the source, whatever num_segments says", async () => {
    const headings = [
      "A life on the rocks",
      "The lens that changed everything",
      "Families and isolation",
      "The end of an era",
    ];
    for (const n of [1, 3, 4, 6, 9]) {
      const o = await new OfflineWriter().outline(input({ numSegments: n }), signal);
      expect(o.segments.map((s) => s.name)).toEqual(headings);
      for (const s of o.segments) expect(["short", "medium", "long"]).toContain(s.size);
    }
  });

  it("uses only the profile's speakers, tags each turn with its segment, and opens and closes the episode", async () => {
    const { outline, turns } = await script(input());
    const names = new Set(["Alice", "Bob", "Carol"]);
    for (const t of turns) {
      expect(names.has(t.speaker)).toBe(true);
      expect(t.text.trim().length).toBeGreaterThan(0);
    }
    expect(new Set(turns.map((t) => t.speaker))).toEqual(names);
    turns.slice(1).forEach((t, i) => {
      if (t.segment === turns[i]!.segment) expect(t.speaker).not.toBe(turns[i]!.speaker);
    });
    expect([...new Set(turns.map((t) => t.segment))]).toEqual([0, 1, 2, 3]);
    expect(turns[0]).toMatchObject({ speaker: "Alice", segment: 0 });
    expect(turns[0]!.text).toContain("Welcome to Lighthouse Hour");
    expect(turns[0]!.text).toContain("Bob and Carol");
    const last = turns.filter((t) => t.segment === 3);
    expect(last.some((t) => t.speaker === "Alice" && t.text.includes("Thanks for listening"))).toBe(true);
    // Each later segment starts with the host moving on to it by name.
    for (let i = 1; i < 4; i++) {
      const first = turns.find((t) => t.segment === i)!;
      expect(first.speaker).toBe("Alice");
      expect(first.text.toLowerCase()).toContain(outline.segments[i]!.name.toLowerCase());
    }
  });

  it("says every sentence of the source, in order, and none of its markup, code or URLs", async () => {
    const { turns } = await script(input());
    const spoken = turns.map((t) => t.text).join("\n");
    // Sentences a naive splitter breaks: abbreviations, a decimal, a quotation with full stops inside.
    for (const s of [
      "Dr. Helen Marsh, who studied the station logbooks for a decade, found that keepers rarely wrote about danger.",
      'One entry from a winter storm reads simply: "Wind from the north-east. Glass cracked in the lantern room. Mended by morning."',
      "A keeper who let the clockwork run 2.5 seconds slow could make his station look like its neighbour.",
      "Mrs. Ada Lind, a keeper's wife, wrote that the hardest part was not loneliness but waiting.",
    ]) {
      expect(turns.filter((t) => t.text.includes(s))).toHaveLength(1);
    }
    // All prose words in order, checked without the writer's own sentence splitter.
    const prose = PROSE.replace(/```[\s\S]*?```/g, "")
      .replace(/\(see https?:\/\/\S+ for a list\)/, "")
      .replace(/^#.*$/gm, "");
    const expected = words(prose);
    expect(expected.length).toBeGreaterThan(500);
    expect(isSubsequence(expected, words(spoken))).toBe(expected.length);
    for (const bad of ["```", "**", "](", "# ", "http", "example.org", "log.entry", "- two"])
      expect(spoken).not.toContain(bad);
  });

  it("is deterministic", async () => {
    const a = await script(input({ numSegments: 5 }));
    const b = await script(input({ numSegments: 5 }));
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it("caps a long source near the target length, keeping every section", async () => {
    const full = await script(input());
    const capped = await script(input({ targetMinutes: 1 }));
    const contentWords = (ts: Turn[]) => words(ts.map((t) => t.text).join(" ")).length;
    expect(contentWords(full.turns)).toBeGreaterThan(550);
    // 150 words a minute, plus the intro, transitions and outro around them.
    expect(contentWords(capped.turns)).toBeLessThan(150 + 120);
    expect(capped.outline.segments).toHaveLength(4);
    for (let i = 0; i < 4; i++) expect(capped.turns.filter((t) => t.segment === i).length).toBeGreaterThanOrEqual(2);
  });

  it("cuts a very long source to about 30 minutes when no target is set", async () => {
    const long = Array.from({ length: 25 }, (_, i) => PROSE.replace(/^## (.*)$/gm, `## $1 ${i + 1}`)).join("\n\n");
    expect(words(long).length).toBeGreaterThan(13_000);
    const { outline, turns } = await script(input({ content: long, numSegments: 6 }));
    // 100 headings: merged into 20 chapters of five, each named by the range of headings it holds.
    expect(outline.segments).toHaveLength(20);
    expect(outline.segments[0]!.name).toBe("A life on the rocks 1 to A life on the rocks 2");
    expect(outline.segments.at(-1)!.name).toBe("The end of an era 24 to The end of an era 25");
    const spokenWords = words(turns.map((t) => t.text).join(" ")).length;
    expect(spokenWords).toBeGreaterThan(4000);
    expect(spokenWords).toBeLessThan(30 * 150 * 1.1);
  });

  it("makes two sentences for a single speaker one chapter, named after the episode, with no recap", async () => {
    const inp = input({
      content: "Ships need lights. Rocks are dangerous.",
      speakers: [speaker("Solo")],
      numSegments: 3,
    });
    const { outline, turns } = await script(inp);
    expect(outline.segments.map((s) => s.name)).toEqual(["Lighthouse Hour"]);
    expect(turns).toEqual([
      {
        speaker: "Solo",
        segment: 0,
        text:
          "Welcome to Lighthouse Hour. I'm Solo. Ships need lights. Rocks are dangerous. " +
          "That's all for Lighthouse Hour. Thanks for listening.",
      },
    ]);
  });

  it("gives a single speaker turns of the source's sentences, not the whole episode as one turn", async () => {
    const content = PROSE.split("## The lens")[0]!;
    const { turns } = await script(input({ content, speakers: [speaker("Solo")] }));
    expect(turns.length).toBeGreaterThanOrEqual(4);
    for (const t of turns) expect(t.text.split(/\s+/).length).toBeLessThan(80);
    const opening = "Welcome to Lighthouse Hour. I'm Solo. Let's start with a life on the rocks. For more";
    expect(turns[0]!.text.startsWith(opening)).toBe(true);
  });

  it("keeps other languages to the source sentences and neutral connectors", async () => {
    const content =
      "Die Stadt liegt am Fluss. Sie hat viele Brücken, z.B. die Alte Brücke.\n\nIm Winter friert der Fluss oft zu. Dann laufen die Kinder auf dem Eis.";
    const { turns } = await script(
      input({ content, language: "de-DE", numSegments: 2, speakers: [speaker("Anna"), speaker("Ben")] }),
    );
    const spoken = turns.map((t) => t.text).join(" ");
    for (const english of ["Welcome", "let's", "Thanks", "Next"]) expect(spoken).not.toContain(english);
    expect(turns[0]!.text).toBe("Lighthouse Hour — Anna, Ben.");
    expect(spoken).toContain("Sie hat viele Brücken, z.B. die Alte Brücke.");
    expect(spoken).toContain("Dann laufen die Kinder auf dem Eis.");
  });

  it("follows an outline written by another writer, by its segment count and names", async () => {
    const outline: Outline = {
      segments: [
        { name: "Keepers", description: "", size: "medium" },
        { name: "Optics", description: "", size: "long" },
      ],
    };
    const { turns } = await script(input(), outline);
    expect([...new Set(turns.map((t) => t.segment))]).toEqual([0, 1]);
    expect(turns.find((t) => t.segment === 1)!.text).toBe("Next, let's talk about Optics.");
  });

  it("rejects content with nothing to say, naming the field", async () => {
    const err = await new OfflineWriter()
      .outline(input({ content: "```\ncode only\n```\n\nhttps://example.org/x" }), signal)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).kind).toBe("invalid_input");
    expect((err as AppError).field).toBe("content");
  });
});
