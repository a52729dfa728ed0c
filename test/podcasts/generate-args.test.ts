import path from "node:path";
import { describe, expect, it } from "vitest";
import { classifySource, parseGenerateArgs } from "../../src/maker/generate-cli.js";
import { ROOT } from "../helpers/procs.js";

describe("generate arguments", () => {
  it("an existing file is a file, http(s) is a URL, anything else is text", () => {
    expect(classifySource("test/fixtures/page.md", ROOT)).toEqual({
      file: path.join(ROOT, "test", "fixtures", "page.md"),
    });
    expect(classifySource("https://example.org/a", ROOT)).toEqual({ url: "https://example.org/a" });
    expect(classifySource("HTTP://example.org", ROOT)).toEqual({ url: "HTTP://example.org" });
    expect(classifySource("test/fixtures/missing.md", ROOT)).toEqual({ text: "test/fixtures/missing.md" });
    expect(classifySource("test/fixtures", ROOT)).toEqual({ text: "test/fixtures" }); // a directory is not a file
    expect(classifySource("Plain words here.", ROOT)).toEqual({ text: "Plain words here." });
  });

  it("reads options in both forms and refuses unknown ones", () => {
    const a = parseGenerateArgs([
      "hello",
      "--profile",
      "solo_expert",
      "--name=My show",
      "--speakers",
      "duo",
      "--briefing",
      "be brief",
      "--language",
      "de",
      "--",
      "--not-a-flag",
    ]);
    const named = { profile: "solo_expert", name: "My show", speakers: "duo", briefing: "be brief", language: "de" };
    expect(a).toMatchObject(named);
    expect(a.sources).toEqual([{ text: "hello" }, { text: "--not-a-flag" }]);
    expect(parseGenerateArgs(["x"]).profile).toBeUndefined(); // the config default (PODCAST_MCP_DEFAULT_PROFILE) applies
    expect(() => parseGenerateArgs(["x", "--bogus"])).toThrow("unknown option: --bogus");
    expect(() => parseGenerateArgs(["x", "--profile"])).toThrow("--profile: needs a value");
    expect(() => parseGenerateArgs(["x", "--profile="])).toThrow("--profile: needs a value");
    // The next flag is not taken as the value: "--name" would otherwise become the profile's name.
    const ambiguous = ["x", "--profile", "--name", "y"];
    expect(() => parseGenerateArgs(ambiguous)).toThrow("--profile: needs a value (--name is an option");
    expect(parseGenerateArgs(["--briefing=--be terse", "x"]).briefing).toBe("--be terse");
    // Sources keep their order around the options.
    expect(parseGenerateArgs(["a", "--name", "N", "b"]).sources).toEqual([{ text: "a" }, { text: "b" }]);
  });
});
