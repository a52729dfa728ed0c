// The offline writer's chapters follow the source: every heading it announces is a chapter, a short
// input is one chapter with no recap, and no title is made of words picked out of a sentence.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Outline, Speaker, Turn, WriterInput } from "../../src/core/model.js";
import { LONG_CHAPTER_WORDS, MAX_CHAPTERS } from "../../src/providers/writer/offline-plan.js";
import { firstWords } from "../../src/providers/writer/offline-titles.js";
import { OfflineWriter } from "../../src/providers/writer/offline-writer.js";
import { ROOT } from "../helpers/procs.js";

const PROSE = readFileSync(path.join(ROOT, "test/fixtures/prose.md"), "utf8");
const speaker = (name: string): Speaker => ({ name, voice_id: "v", backstory: "", personality: "" });
const signal = new AbortController().signal;

/** A guide in eight sections, with a list, a table and a quote among them. */
const TIDES = `# A field guide to tides

## Why the sea rises

The Moon pulls on the oceans, and the water nearest to it bulges towards it.
A second bulge forms on the far side of the Earth.

## Two tides a day

As the Earth turns, a coast passes through both bulges.
Most shores therefore see two high tides and two low tides each day.

## Spring and neap tides

When the Sun and the Moon line up, their pulls add together:

- spring tides rise highest at new and full moon
- neap tides rise least at the quarter moons

## Reading a tide table

| Time | Height |
|---|---|
| 06:12 | 4.1 m |
| 12:30 | 0.6 m |

## Tidal streams

Water does not only rise and fall. It also flows along the coast, fastest halfway between high and low water.

## The rule of twelfths

Sailors estimate the height between tides with a simple rule. In the third and fourth hours the water moves fastest.

## Dangers on the shore

> The tide comes in faster than a person can walk.
> — Coastguard leaflet

Check the table before crossing any causeway.

## Tides and life

Rock pools hold crabs, anemones and small fish between tides. Wading birds feed on the mud the ebb leaves behind.
`;
// The title above the first section has no text under it: it is no chapter.
const TIDE_HEADINGS = [
  "Why the sea rises",
  "Two tides a day",
  "Spring and neap tides",
  "Reading a tide table",
  "Tidal streams",
  "The rule of twelfths",
  "Dangers on the shore",
  "Tides and life",
];

function input(over: Partial<WriterInput> = {}): WriterInput {
  return {
    content: TIDES,
    briefing: "",
    episodeName: "Tide Talk",
    language: "en",
    speakers: [speaker("Alice"), speaker("Bob"), speaker("Carol")],
    numSegments: 3,
    ...over,
  };
}

async function script(inp: WriterInput): Promise<{ outline: Outline; turns: Turn[] }> {
  const w = new OfflineWriter();
  const outline = await w.outline(inp, signal);
  const turns: Turn[] = [];
  for (let i = 0; i < outline.segments.length; i++) turns.push(...(await w.segment(inp, outline, i, "", signal)));
  return { outline, turns };
}

/** What the host announces: "Let's start with X", "Next, let's talk about X", "Which brings us to X", … */
function announced(turns: Turn[]): string[] {
  const leads = [
    "Let's start with",
    "Next, let's talk about",
    "Now let's turn to",
    "Moving on:",
    "Let's look at",
    "Which brings us to",
    "There's more to say about",
  ];
  const re = new RegExp(`(?:${leads.join("|")}) ([^.]+)\\.`, "g");
  return turns.flatMap((t) => [...t.text.matchAll(re)].map((m) => m[1]!));
}
const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

describe("chapters that follow the source", () => {
  it("makes all 8 headings of an 8-section guide chapters, each announced once, whatever num_segments is", async () => {
    for (const numSegments of [3, 4, 20]) {
      const { outline, turns } = await script(input({ numSegments }));
      expect(outline.segments.map((s) => s.name)).toEqual(TIDE_HEADINGS);
      expect([...new Set(turns.map((t) => t.segment))]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      const said = announced(turns);
      expect(said).toHaveLength(8);
      said.forEach((name, i) => expect(sameName(name, TIDE_HEADINGS[i]!), `${name} vs ${TIDE_HEADINGS[i]}`).toBe(true));
      // Each segment's first turn is the host announcing it (after the welcome for the first).
      for (let i = 1; i < 8; i++) {
        expect(turns.find((t) => t.segment === i)!.text).toMatch(new RegExp(TIDE_HEADINGS[i]!, "i"));
      }
    }
  });

  it("merges more than 20 headings into 20 chapters whose titles name every heading they hold", async () => {
    const sections = Array.from(
      { length: 25 },
      (_, i) => `## Station ${i + 1}\n\nThe light at station ${i + 1} flashes ${i + 1} times. Its keeper logs it.`,
    );
    const { outline, turns } = await script(input({ content: sections.join("\n\n") }));
    expect(outline.segments).toHaveLength(MAX_CHAPTERS);
    const names = outline.segments.map((s) => s.name);
    expect(names.filter((n) => / and /.test(n))).toHaveLength(5);
    // Spread over the source, not bunched at its start.
    expect(names.slice(0, 4)).toEqual(["Station 1", "Station 2", "Station 3 and Station 4", "Station 5"]);
    // Every heading is in exactly one title, in order.
    expect(names.flatMap((n) => n.split(" and "))).toEqual(sections.map((_, i) => `Station ${i + 1}`));
    // Every name the host says is a chapter title or a heading inside one.
    const inTitle = (name: string) =>
      names.some((n) => sameName(n, name) || n.split(" and ").some((h) => sameName(h, name)));
    for (const name of announced(turns)) expect(inTitle(name), name).toBe(true);
  });

  it("splits a very long section into parts named after it, announced as more of it", async () => {
    const long = PROSE.replace(/^#.*$/gm, "").replace(/```[\s\S]*?```/g, "");
    const body = Array.from({ length: 5 }, () => long).join("\n\n");
    const content = `## Keepers\n\n${body}\n\n## Today\n\nMost lights now run on their own.`;
    const { outline, turns } = await script(input({ content }));
    const names = outline.segments.map((s) => s.name);
    expect(names).toEqual(["Keepers", "Keepers, part 2", "Today"]);
    const wordsIn = (i: number) =>
      turns.filter((t) => t.segment === i).reduce((n, t) => n + t.text.split(/\s+/).length, 0);
    const sizes = [wordsIn(0), wordsIn(1)];
    for (const size of sizes) expect(size).toBeLessThan(LONG_CHAPTER_WORDS * 1.2);
    expect(turns.find((t) => t.segment === 1)!.text).toBe("There's more to say about Keepers.");
  });

  it("gives text before the first heading a chapter of its own, titled by its first words as written", async () => {
    const content =
      "For more than two centuries, families kept the lights. They lived beside the lamp.\n\n" +
      "## The lens\n\nA Fresnel lens bends light into a beam.";
    const { outline, turns } = await script(input({ content }));
    expect(outline.segments.map((s) => s.name)).toEqual(["For more than two centuries", "The lens"]);
    // A name made of the chapter's own first words is not announced: it would be heard twice.
    expect(turns[0]!.text).toBe("Welcome to Tide Talk. I'm Alice, and with me today are Bob and Carol.");
    expect(announced(turns)).toEqual(["the lens"]);
  });
});

describe("a source without headings", () => {
  it("makes 'Cats sleep a lot.' one chapter, named after the episode, with no recap", async () => {
    const speakers = [speaker("Alice"), speaker("Bob")];
    const cats = input({ content: "Cats sleep a lot.", episodeName: "Cat Facts", speakers });
    const { outline, turns } = await script(cats);
    expect(outline.segments).toEqual([{ name: "Cat Facts", description: "Cats sleep a lot.", size: "medium" }]);
    expect(turns).toEqual([
      { speaker: "Alice", segment: 0, text: "Welcome to Cat Facts. I'm Alice, and with me today is Bob." },
      { speaker: "Bob", segment: 0, text: "Thanks, Alice. Glad to be here." },
      {
        speaker: "Alice",
        segment: 0,
        text: "Cats sleep a lot. That's all for Cat Facts. Thanks for listening, and thanks to Bob for joining me.",
      },
      { speaker: "Bob", segment: 0, text: "Thanks for having me." },
    ]);
  });

  it("cuts a long one into num_segments chapters at most, 2 minutes or more, titled by first words", async () => {
    const prose = PROSE.replace(/^#.*$/gm, "").replace(/```[\s\S]*?```/g, "");
    const long = [prose, prose, prose].join("\n\n");
    for (const [numSegments, chapters] of [
      [3, 3],
      [9, 5],
    ] as const) {
      const { outline, turns } = await script(input({ content: long, numSegments }));
      expect(outline.segments).toHaveLength(chapters);
      outline.segments.forEach((s, i) => {
        const host = /^(Welcome|Thanks|Hi|Great|Let's move|Here's the next|On to the next)/;
        const content = turns.filter((t) => t.segment === i && !host.test(t.text));
        expect(content[0]!.text.startsWith(s.name.replace(/…$/, "")), `${s.name} / ${content[0]!.text}`).toBe(true);
      });
      // Moving between chapters says no made-up name: the source's first words follow right after.
      expect(announced(turns)).toEqual([]);
      expect(turns.some((t) => /recap/i.test(t.text))).toBe(false);
    }
  });
});

describe("titles", () => {
  it("are never stop-word-stripped title case", async () => {
    expect(firstWords("Cats sleep a lot.")).toBe("Cats sleep a lot");
    const cases = [
      ["For more than two centuries, the lighthouses of the coast were kept.", "For more than two centuries"],
      ["Early lights used open fires and later oil lamps with reflectors.", "Early lights used open fires and…"],
      ["灯台は海岸の危険を知らせるために、昔から光を放ち続けてきた建物である。", "灯台は海岸の危険を知らせるために"],
    ];
    for (const [sentence, title] of cases) expect(firstWords(sentence!)).toBe(title);
    const content = "Cats sleep a lot.\n\nDogs bark at night.";
    const { outline } = await script(input({ content, episodeName: "Pets" }));
    expect(outline.segments.map((s) => s.name)).toEqual(["Pets"]);
  });
});
