// The five flag parsers (node:util parseArgs underneath): what each accepts, and the words of what
// each refuses, which a person reads before exit code 2.
import { describe, expect, it } from "vitest";
import { parseFlags, wantsHelp, wholeNumber } from "../../src/cli/args.js";
import { splitCommonFlags, UsageError } from "../../src/cli/common-flags.js";
import { parseHostArgs } from "../../src/db/host-cli.js";
import { parseServeArgs } from "../../src/server-cli.js";
import { parseWorkerArgs } from "../../src/worker/cli.js";
import { parseDaemonArgs } from "../../src/worker/daemon-cli.js";

const SPEC = { name: { type: "string" }, loud: { type: "boolean", short: "l" } } as const;

describe("parseFlags", () => {
  it("reads --flag value, --flag=value, booleans and short flags, positionals in order", () => {
    expect(parseFlags("x", ["a", "--name", "N", "b", "-l"], SPEC, { positionals: true })).toEqual({
      values: { name: "N", loud: true },
      positionals: ["a", "b"],
    });
    expect(parseFlags("x", ["--name=-dash-first"], SPEC).values.name).toBe("-dash-first");
    // After --, everything is an argument, even what looks like a flag.
    expect(parseFlags("x", ["--", "--name", "-l"], SPEC, { positionals: true }).positionals).toEqual(["--name", "-l"]);
  });

  it("refuses what is wrong in words that name the flag", () => {
    const wrong =
      (args: string[], positionals = false) =>
      () =>
        parseFlags("worker", args, SPEC, { positionals });
    expect(wrong(["--bogus"])).toThrow("unknown option: --bogus");
    expect(wrong(["-q"])).toThrow("unknown option: -q");
    expect(wrong(["extra"])).toThrow('unexpected argument "extra": worker takes options only');
    expect(wrong(["--name"])).toThrow("--name: needs a value");
    expect(wrong(["--name="])).toThrow("--name: needs a value");
    expect(wrong(["--name", "--loud"])).toThrow(
      "--name: needs a value (--loud is an option; for a value that starts with a dash write --name=--loud)",
    );
    expect(wrong(["--loud=yes"])).toThrow('--loud: takes no value (got "yes")');
    let caught: unknown;
    try {
      wrong(["--bogus"])();
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ kind: "invalid_input", field: "--bogus" });
  });

  it("wholeNumber: a whole number within bounds, or a message that says which and what it got", () => {
    expect(wholeNumber("--port", undefined, 0, 65535)).toBeUndefined();
    expect(wholeNumber("--port", "0", 0, 65535)).toBe(0);
    expect(wholeNumber("--port", "65535", 0, 65535)).toBe(65535);
    for (const bad of ["-1", "65536", "1.5", "1e3", "0x10", "three", ""]) {
      expect(() => wholeNumber("--port", bad, 0, 65535)).toThrow(
        `--port: must be a whole number from 0 to 65535 (got ${JSON.stringify(bad)})`,
      );
    }
  });

  it("wantsHelp: --help or -h before any --", () => {
    expect(wantsHelp(["x", "--help"])).toBe(true);
    expect(wantsHelp(["-h"])).toBe(true);
    expect(wantsHelp(["--", "--help"])).toBe(false);
    expect(wantsHelp(["--helpful"])).toBe(false);
  });
});

describe("the common flags", () => {
  it("are taken out wherever they stand; the rest reaches the command as written", () => {
    const { rest, overrides } = splitCommonFlags([
      "notes.md",
      "--data-dir",
      "/d",
      "--name",
      "N",
      "--log-level=debug",
      "--surreal-url",
      "ws://h",
    ]);
    expect(rest).toEqual(["notes.md", "--name", "N"]);
    expect(overrides).toEqual({ dataDir: "/d", logLevel: "debug", surrealUrl: "ws://h" });
    // After --, a common flag is literal text for the command.
    expect(splitCommonFlags(["--", "--data-dir", "x"]).rest).toEqual(["--", "--data-dir", "x"]);
  });

  it("need a value, and --log-level one of the levels", () => {
    expect(() => splitCommonFlags(["--data-dir"])).toThrow(new UsageError("--data-dir: needs a value"));
    expect(() => splitCommonFlags(["--data-dir", "--log-level", "info"])).toThrow("--data-dir: needs a value");
    expect(() => splitCommonFlags(["--log-level", "loud"])).toThrow(
      '--log-level: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    );
  });
});

describe("each command's flags", () => {
  it("serve: --http, --host, --port", () => {
    expect(parseServeArgs([])).toEqual({ http: false, host: "127.0.0.1", port: 3333 });
    expect(parseServeArgs(["--http", "--host", "0.0.0.0", "--port=0"])).toEqual({
      http: true,
      host: "0.0.0.0",
      port: 0,
    });
    expect(() => parseServeArgs(["--port", "-1"])).toThrow('--port: must be a whole number from 0 to 65535 (got "-1")');
    expect(() => parseServeArgs(["--port", "http"])).toThrow(
      '--port: must be a whole number from 0 to 65535 (got "http")',
    );
    expect(() => parseServeArgs(["--host"])).toThrow("--host: needs a value");
    expect(() => parseServeArgs(["--http", "--stdio"])).toThrow("--http and --stdio: choose one");
    expect(() => parseServeArgs(["--htp"])).toThrow("unknown option: --htp");
  });

  it("worker --concurrency, daemon --workers, the DB host's --port", () => {
    expect(parseWorkerArgs(["--concurrency", "4"])).toEqual({ concurrency: 4 });
    expect(parseWorkerArgs([])).toEqual({ concurrency: undefined });
    expect(() => parseWorkerArgs(["--concurrency=0"])).toThrow(
      '--concurrency: must be a whole number from 1 to 64 (got "0")',
    );
    expect(parseDaemonArgs(["--workers", "0"])).toEqual({ workers: 0 });
    expect(() => parseDaemonArgs(["--workers", "65"])).toThrow(
      '--workers: must be a whole number from 0 to 64 (got "65")',
    );
    expect(() => parseDaemonArgs(["2"])).toThrow('unexpected argument "2": daemon takes options only');
    expect(parseHostArgs(["--port", "8000"])).toEqual({ port: 8000 });
    expect(() => parseHostArgs(["--port", "99999"])).toThrow(
      '--port: must be a whole number from 0 to 65535 (got "99999")',
    );
  });
});
