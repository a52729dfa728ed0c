// Every command's --help (stdout, exit 0, nothing started) and bad usage (exit 2, a message that
// names the flag and what is wrong, nothing on stdout), through the built CLI: one case per command
// and per common flag (test/cli/args.test.ts checks each parser's messages without a process).
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanEnv, ROOT, spawnCli, stopAll, tmpDataDir, track } from "../helpers/procs.js";

afterAll(stopAll);

const COMMANDS = ["serve", "worker", "daemon", "generate", "stop", "doctor"];

async function cli(args: string[]) {
  const p = spawnCli(args, cleanEnv({ PODCAST_MCP_DATA_DIR: dataDir }));
  const { code } = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

const dataDir = tmpDataDir();

describe("podcast-mcp --help", () => {
  it("each command prints its own help on stdout and exits 0, starting nothing", { timeout: 120_000 }, async () => {
    const runs = await Promise.all(COMMANDS.map((c) => cli([c, "--help"])));
    for (const [i, r] of runs.entries()) {
      expect(r, COMMANDS[i]).toMatchObject({ code: 0, stderr: "" });
      expect(r.stdout).toMatch(new RegExp(`^Usage: podcast-mcp (\\[${COMMANDS[i]}\\]|${COMMANDS[i]})`));
      expect(r.stdout).toContain("--data-dir DIR");
      expect(r.stdout).toContain("--log-level LEVEL");
    }
    expect(runs[3]!.stdout).toContain("--profile NAME");
    const [top, viaHelp, short] = await Promise.all([
      cli(["--help"]),
      cli(["help", "generate"]),
      cli(["generate", "-h"]),
    ]);
    expect(top.code).toBe(0);
    for (const c of COMMANDS) expect(top.stdout).toContain(`  ${c} `);
    expect(viaHelp.stdout).toBe(runs[3]!.stdout);
    expect(short.stdout).toBe(runs[3]!.stdout);
    // Nothing ran: no store, no daemon in the data dir.
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

describe("bad usage", () => {
  it("exits 2 with the flag named and what is wrong, nothing on stdout", { timeout: 120_000 }, async () => {
    const cases: [string[], string][] = [
      [
        ["serve", "--port", "70000"],
        'podcast-mcp serve: --port: must be a whole number from 0 to 65535 (got "70000")\n',
      ],
      [
        ["worker", "--concurrency", "x"],
        'podcast-mcp worker: --concurrency: must be a whole number from 1 to 64 (got "x")\n',
      ],
      [
        ["daemon", "--workers", "-1"],
        'podcast-mcp daemon: --workers: must be a whole number from 0 to 64 (got "-1")\n',
      ],
      [["generate", "notes", "--bogus"], "podcast-mcp generate: unknown option: --bogus\n"],
      [["stop", "now"], 'podcast-mcp stop: unexpected argument "now": stop takes options only\n'],
      [["doctor", "--verbose"], "podcast-mcp doctor: unknown option: --verbose\n"],
      [
        ["doctor", "--log-level", "loud"],
        '--log-level: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")\n',
      ],
      [["doctor", "--data-dir"], "--data-dir: needs a value\n"],
      [["frobnicate"], "Unknown command: frobnicate\n"],
    ];
    const runs = await Promise.all(cases.map(([args]) => cli(args)));
    for (const [i, r] of runs.entries()) {
      const [args, first] = cases[i]!;
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 2, stdout: "" });
      expect(r.stderr.startsWith(first), `${args.join(" ")}: ${r.stderr}`).toBe(true);
    }
    // The commands that print their own usage errors point to their help.
    expect(runs[1]!.stderr).toContain('Run "podcast-mcp worker --help" for its options.');
    expect(runs[0]!.stderr).toContain('Run "podcast-mcp serve --help" for its options.');
  });

  it("the DB host's own entry: --help, and exit 2 on a bad --port", { timeout: 60_000 }, async () => {
    const host = async (args: string[]) => {
      const child = track(
        spawn(process.execPath, [path.join(ROOT, "test", "db", "run-host.mjs"), ...args], {
          env: cleanEnv({ PODCAST_MCP_DATA_DIR: dataDir }),
        }),
      );
      let out = "";
      let err = "";
      child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
      return { code, out, err };
    };
    const [help, bad] = await Promise.all([host(["--help"]), host(["--port", "99999"])]);
    expect(help).toMatchObject({ code: 0, err: "" });
    expect(help.out).toMatch(/^Usage: node dist\/db\/host-cli\.js \[--port N\]/);
    expect(bad).toMatchObject({ code: 2, out: "" });
    expect(bad.err).toContain('--port: must be a whole number from 0 to 65535 (got "99999")');
  });
});
