// Parsing on both sides: Markdown and sentences for the offline writer; JSON extraction and reply validation for the LLM one.
import { describe, expect, it } from "vitest";
import { extractJson, stripThinking } from "../../src/providers/writer/extract-json.js";
import { checkOutline, checkTurns } from "../../src/providers/writer/openai-writer.js";
import { cleanInline, parseBlocks, splitSentences } from "../../src/providers/writer/source-text.js";

describe("splitSentences", () => {
  it("does not break at abbreviations, initials, decimals or ellipses before lower case", () => {
    expect(
      splitSentences(
        "Mr. Smith met Dr. J. R. Watson at 3.30 p.m. in the U.S. Embassy. They talked, e.g. about approx. 4.5 million! Was it worth it? Yes... mostly. See Fig. 3 and No. 7 for details.",
      ),
    ).toEqual([
      "Mr. Smith met Dr. J. R. Watson at 3.30 p.m. in the U.S. Embassy.",
      "They talked, e.g. about approx. 4.5 million!",
      "Was it worth it?",
      "Yes... mostly.",
      "See Fig. 3 and No. 7 for details.",
    ]);
  });

  it("keeps a quotation with full stops inside it whole, and splits CJK text without spaces", () => {
    expect(splitSentences('He wrote: "Wind from the east. Glass cracked." Then he slept.')).toEqual([
      'He wrote: "Wind from the east. Glass cracked."',
      "Then he slept.",
    ]);
    expect(splitSentences("Er sagte: „Das ist gut.“ Dann ging er.")).toEqual([
      "Er sagte: „Das ist gut.“",
      "Dann ging er.",
    ]);
    expect(splitSentences("東京は大きい。大阪も大きい！本当？")).toEqual([
      "東京は大きい。",
      "大阪も大きい！",
      "本当？",
    ]);
  });
});

describe("Markdown clean-up", () => {
  it("keeps the words of emphasis, links and inline code, and drops URLs, images and HTML", () => {
    expect(
      cleanInline(
        "Read **bold**, _italic_ and `npm test` in snake_case_name, [the guide](https://x.example/g) <b>now</b>![logo](a.png) or https://x.example/path?q=1.",
      ),
    ).toBe("Read bold, italic and npm test in snake_case_name, the guide now or.");
  });

  it("finds ATX and setext headings, list items, table rows, and skips code blocks and front matter", () => {
    const md = [
      "---",
      "title: x",
      "---",
      "Intro",
      "=====",
      "",
      "Text here",
      "more text.",
      "",
      "- first item",
      "- second item.",
      "",
      "| a | b |",
      "|---|---|",
      "| 1 | 2 |",
      "",
      "~~~js",
      "code();",
      "~~~",
      "## Next:",
    ].join("\n");
    expect(parseBlocks(md)).toEqual([
      { kind: "heading", text: "Intro" },
      { kind: "paragraph", sentences: ["Text here. More text."] },
      { kind: "paragraph", sentences: ["There are two points. First item. Second item."] },
      { kind: "paragraph", sentences: ["A: 1, b: 2."] },
      { kind: "heading", text: "Next" },
    ]);
  });
});

describe("extractJson", () => {
  it("reads bare JSON, fenced JSON after a think block, and JSON buried in prose", () => {
    expect(extractJson('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(extractJson('<think>maybe {"a":0}</think>\nSure:\n```json\n{"a":2}\n```')).toEqual({
      ok: true,
      value: { a: 2 },
    });
    expect(extractJson('Here it is: {"a":"has } brace"} hope it helps {"b":1}')).toEqual({
      ok: true,
      value: { a: "has } brace" },
    });
    expect(extractJson('[{"speaker":"A","text":"x"}]')).toEqual({ ok: true, value: [{ speaker: "A", text: "x" }] });
  });

  it("drops a reasoning block whose opening tag was in the prompt, and reports what is missing", () => {
    expect(stripThinking('thinking about {"x":1}</think>{"a":3}')).toBe('{"a":3}');
    expect(extractJson("<think>only thoughts</think>")).toEqual({
      ok: false,
      reason: expect.stringContaining("empty"),
    });
    expect(extractJson('{"segments": [')).toEqual({ ok: false, reason: expect.stringContaining("no parseable JSON") });
  });
});

describe("reply validation", () => {
  const speakers = ["Alice", "Bob"].map((name) => ({ name, voice_id: "v", backstory: "", personality: "" }));

  it("reads a bare list or a wrapped object as meant, and names the rule a reply breaks", () => {
    const seg = { name: "Intro", description: "d", size: "Medium" };
    expect(checkOutline({ outline: { segments: [seg] } }, 1)).toEqual({
      ok: true,
      value: { segments: [{ ...seg, size: "medium" }] },
    });
    expect(checkOutline([seg, seg], 1)).toEqual({ ok: false, reason: "segments: must have exactly 1 segments" });
    expect(checkOutline({ segments: [{ ...seg, size: "huge" }] }, 1)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("segments[0].size:"),
    });
    expect(checkTurns({ dialogue: [{ speaker: "bob", text: "Hi." }] }, speakers, 2)).toEqual({
      ok: true,
      value: [{ speaker: "Bob", text: "Hi.", segment: 2 }],
    });
    expect(checkTurns({ turns: [{ speaker: "Bob", text: "  " }] }, speakers, 0)).toEqual({
      ok: false,
      reason: "turns[0].text: must not be empty",
    });
  });
});
