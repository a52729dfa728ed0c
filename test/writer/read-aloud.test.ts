// Lists, tables and quotes as a listener hears them, from Markdown as written and from the
// extractor's text (markers removed, each item or row on its own line): each item, row or quote
// line is a sentence of its own, never one run-on; wrapped prose is still read as prose.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { markdownToText } from "../../src/sources/index.js";
import type { Outline, Speaker, Turn } from "../../src/core/model.js";
import { OfflineWriter } from "../../src/providers/writer/offline-writer.js";
import { parseBlocks, type Block } from "../../src/providers/writer/source-text.js";
import { ROOT } from "../helpers/procs.js";

const PROSE = readFileSync(path.join(ROOT, "test/fixtures/prose.md"), "utf8");
const sentences = (blocks: Block[]) => blocks.flatMap((b) => (b.kind === "paragraph" ? b.sentences : []));
const spoken = (md: string) => sentences(parseBlocks(md));
/** The same source as Markdown and as the Markdown extractor hands it to the writer. */
const bothForms = (md: string) => [md, markdownToText(md)];

/** Prose wrapped at `width` columns the way an editor does it; headings, lists and tables left alone. */
function wrap(md: string, width: number): string {
  return md
    .split("\n\n")
    .map((block) => {
      if (/^(#|- |```|\|)/.test(block)) return block;
      const lines: string[] = [];
      for (const word of block.split(/\s+/)) {
        const last = lines.at(-1);
        if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
        else lines.push(word);
      }
      return lines.join("\n");
    })
    .join("\n\n");
}

describe("lists", () => {
  it("reads each item of the lighthouse list as its own sentence, after the line that introduces it", () => {
    const md = [
      "Sailors carried printed lists of these patterns, such as:",
      "",
      "- two white flashes every 10 seconds",
      "- one red flash every 5 seconds",
      "- a fixed white light with a single eclipse",
    ].join("\n");
    for (const source of bothForms(md)) {
      // One unit, so that one speaker reads the whole short list.
      expect(spoken(source)).toEqual([
        "Sailors carried printed lists of these patterns, such as: two white flashes every 10 seconds. " +
          "One red flash every 5 seconds. A fixed white light with a single eclipse.",
      ]);
    }
  });

  it("introduces a list the source does not introduce, and keeps an item's own punctuation", () => {
    const md = [
      "A keeper's night had three fixed tasks.",
      "",
      "1. Trim the wick",
      "2. Wind the clockwork every four hours",
      "3. Write the weather in the log!",
    ].join("\n");
    expect(spoken(md)).toEqual([
      "A keeper's night had three fixed tasks.",
      "There are three points. Trim the wick. Wind the clockwork every four hours. Write the weather in the log!",
    ]);
    // Without its markers the text cannot tell a list from other lines: no introduction, still a sentence a line.
    expect(spoken(markdownToText(md))).toEqual([
      "A keeper's night had three fixed tasks.",
      "Trim the wick. Wind the clockwork every four hours. Write the weather in the log!",
    ]);
  });

  it("reads dash and bullet lists from pasted text as items, and a long list item by item", () => {
    expect(spoken("Pack for the rock:\n– oil for the lamp\n– flour\n– letters from home")).toEqual([
      "Pack for the rock: oil for the lamp. Flour. Letters from home.",
    ]);
    expect(spoken("• brass polish\n• spare glass")).toEqual(["There are two points. Brass polish. Spare glass."]);
    const item = (i: number) => `- the keeper of station number ${i + 1} reported a calm night with clear skies`;
    const long = Array.from({ length: 8 }, (_, i) => item(i)).join("\n");
    const items = spoken(`Reports came in:\n\n${long}`);
    // Too long for one breath: every item is its own unit, the first read with its introduction.
    expect(items).toHaveLength(8);
    expect(items[0]).toBe("Reports came in: the keeper of station number 1 reported a calm night with clear skies.");
    expect(items[7]).toBe("The keeper of station number 8 reported a calm night with clear skies.");
  });
});

describe("tables", () => {
  const table = [
    "| Station | Flash | Period |",
    "|---|:---:|---|",
    "| Eddystone | white | 10 s |",
    "| Bell Rock | | 5 s |",
    "| Fastnet | red, twice | 15 s |",
  ].join("\n");

  it("reads each row under a header as 'Column: value, column: value.', skipping empty cells", () => {
    expect(spoken(`The lights of the approach:\n\n${table}`)).toEqual([
      "The lights of the approach: Station: Eddystone, flash: white, period: 10 s. Station: Bell Rock, period: 5 s. " +
        "Station: Fastnet, flash: red, twice, period: 15 s.",
    ]);
  });

  it("reads rows without a header as their values, and the extractor's rows one sentence each", () => {
    expect(spoken("| Eddystone | 1698 |\n| Bell Rock | 1810 |")).toEqual(["Eddystone, 1698. Bell Rock, 1810."]);
    // The extractor keeps no header: each row is still a sentence of its own, never one run-on.
    expect(spoken(markdownToText(table))).toEqual([
      "Station, Flash, Period. Eddystone, white, 10 s. Bell Rock, 5 s. Fastnet, red, twice, 15 s.",
    ]);
  });
});

describe("quotes", () => {
  const log = "> Wind from the north-east.\n> Glass cracked in the lantern room\n> Mended by morning";

  it("credits a quote to the source the text names, before it in English", () => {
    for (const credit of ["\n> — Keeper's log, 1881", "\n\n— Keeper's log, 1881", "\n> -- Keeper's log, 1881."]) {
      expect(spoken(`${log}${credit}`)).toEqual([
        "In the words of Keeper's log, 1881: Wind from the north-east. Glass cracked in the lantern room. " +
          "Mended by morning.",
      ]);
    }
  });

  it("credits it after the quote when the text does not mark where the quote starts, or introduces it itself", () => {
    expect(spoken(markdownToText(`${log}\n\n— Keeper's log, 1881`))).toEqual([
      "Wind from the north-east. Glass cracked in the lantern room. Mended by morning. " +
        "That was a quote from Keeper's log, 1881.",
    ]);
    expect(spoken(`One entry reads:\n\n${log}\n> — Ada Lind`)).toEqual([
      "One entry reads: Wind from the north-east. Glass cracked in the lantern room. Mended by morning. " +
        "That was a quote from Ada Lind.",
    ]);
  });

  it("in another language, keeps the source's words: the name after the quote, no English", () => {
    const blocks = parseBlocks("> Der Fluss ist alt.\n> Er friert im Winter zu\n\n— Anna Weber", false);
    expect(sentences(blocks)).toEqual(["Der Fluss ist alt. Er friert im Winter zu. Anna Weber."]);
  });

  it("does not read a quote without a credit any differently from its lines", () => {
    expect(spoken(log)).toEqual(["Wind from the north-east. Glass cracked in the lantern room. Mended by morning."]);
  });
});

describe("wrapped prose", () => {
  it("reads prose wrapped at 60, 72 or 100 columns exactly as unwrapped, as Markdown and as extracted text", () => {
    const unwrapped = parseBlocks(PROSE);
    expect(sentences(unwrapped).length).toBeGreaterThan(30);
    for (const width of [60, 72, 100]) {
      const wrapped = wrap(PROSE, width);
      expect(wrapped.split("\n").filter((l) => l.length > width && !l.startsWith("#"))).toEqual([]); // really wrapped
      expect(parseBlocks(wrapped)).toEqual(unwrapped);
      expect(parseBlocks(markdownToText(wrapped))).toEqual(unwrapped);
    }
  });

  it("joins a line broken by hand mid-phrase, in a document that is not wrapped", () => {
    expect(spoken("Keepers trimmed the wicks every night\nand the lamps burned till dawn.")).toEqual([
      "Keepers trimmed the wicks every night and the lamps burned till dawn.",
    ]);
    const broken = "The keeper climbed to the\nlantern room at dusk.";
    expect(spoken(broken)).toEqual(["The keeper climbed to the lantern room at dusk."]);
    expect(spoken("Oil, wicks,\nbrass polish")).toEqual(["Oil, wicks, brass polish."]);
  });

  it("still reads short lines in a wrapped document as items", () => {
    const doc = wrap(PROSE.split("## The lens")[0]!, 72);
    const list = "The station kept:\n\n- a barometer\n- two lamps in reserve\n- a logbook for every year";
    const extracted = markdownToText(`${doc}\n\n${list}`);
    const read = "The station kept: a barometer. Two lamps in reserve. A logbook for every year.";
    expect(spoken(extracted).at(-1)).toBe(read);
  });
});

describe("in the script", () => {
  const speaker = (name: string): Speaker => ({ name, voice_id: "v", backstory: "", personality: "" });

  it("gives the prose's list to one speaker as separate sentences, with nothing of it run together", async () => {
    const input = {
      content: markdownToText(PROSE),
      briefing: "",
      episodeName: "Keepers",
      language: "en",
      speakers: [speaker("Alice"), speaker("Bob")],
      numSegments: 3,
    };
    const w = new OfflineWriter();
    const signal = new AbortController().signal;
    const outline: Outline = await w.outline(input, signal);
    const turns: Turn[] = [];
    for (let i = 0; i < outline.segments.length; i++) turns.push(...(await w.segment(input, outline, i, "", signal)));
    const list = turns.filter((t) => t.text.includes("two white flashes"));
    expect(list).toHaveLength(1);
    expect(list[0]!.text).toContain(
      "Sailors carried printed lists of these patterns, such as: two white flashes every 10 seconds. " +
        "One red flash every 5 seconds. A fixed white light with a single eclipse.",
    );
    for (const t of turns) expect(t.text).not.toMatch(/seconds one|seconds a fixed/i);
  });
});
