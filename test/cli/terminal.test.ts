// The commands a person runs, on a real pseudo-terminal (util-linux `script`), against the built
// CLI: `generate` draws one live progress line and prints warnings in words, and with stdout taken
// by `$(…)` that stdout holds the MP3 path alone; logs appear only when asked for; `doctor` shows
// the check under way; `daemon` in the foreground says what runs and how to stop it, `stop` counts
// the wait, and neither prints a log line. The same daemon with its stderr in a pipe (as it is in
// daemon.log) keeps its JSON logs.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pidAlive } from "../../src/db/index.js";
import { readDaemonState } from "../../src/worker/daemon.js";
import { cleanEnv, CLI, ROOT, spawnCli, stopAll, stopProc, tmpDataDir, track, waitFor } from "../helpers/procs.js";
import { frames, screen } from "./screen.js";

const daemonDirs: string[] = [];

afterAll(async () => {
  // A daemon whose terminal went away dies of SIGHUP; one that did not is stopped here.
  for (const dir of daemonDirs) {
    const state = await readDaemonState(dir);
    if (state && pidAlive(state.pid)) process.kill(state.pid, "SIGTERM");
    if (state) await waitFor(() => !pidAlive(state.pid), 30_000).catch(() => undefined);
  }
  await stopAll();
});

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

if (spawnSync("script", ["--version"]).error) {
  throw new Error("these tests need `script` (util-linux) to give the CLI a pseudo-terminal");
}

/** `podcast-mcp <args>` with a terminal of 100 columns on stderr (and on stdout unless `stdoutFile`). */
function onTerminal(args: string[], opts: { env?: Record<string, string | undefined>; stdoutFile?: string } = {}) {
  const command = [process.execPath, CLI, ...args].map(quote).join(" ");
  const redirect = opts.stdoutFile ? ` > ${quote(opts.stdoutFile)}` : "";
  const env = cleanEnv({ LOG_LEVEL: undefined, TERM: "xterm-256color", NO_COLOR: undefined, ...opts.env });
  const child = track(
    spawn("script", ["-q", "-e", "-c", `stty cols 100; exec ${command}${redirect}`, "/dev/null"], {
      env,
      stdio: ["pipe", "pipe", "pipe"],
    }),
  );
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

const TEXT = "Tides rise twice a day. The moon pulls the oceans toward it. Sailors plan their trips around the tides.";

describe("on a terminal", () => {
  it("generate: one live progress line, warnings in words, no logs; stdout holds only the MP3 path", {
    timeout: 180_000,
  }, async () => {
    const dataDir = tmpDataDir();
    const out = path.join(dataDir, "stdout.txt");
    // A language the built-in voices do not speak: the run warns, and goes on.
    const run = onTerminal(["generate", TEXT, "--language", "de", "--data-dir", dataDir], { stdoutFile: out });
    expect(await run.exited, run.output()).toBe(0);

    const stdout = readFileSync(out, "utf8");
    expect(stdout).toMatch(/^\/[^\n]+\/audio\.mp3\n$/);
    expect(existsSync(stdout.trim())).toBe(true);

    const raw = run.output();
    expect(raw).not.toContain('"level"');
    expect(raw).not.toContain(stdout.trim()); // the terminal never saw the path
    const live = frames(raw);
    // The live line: stage, bar, percentage, the turn count in speech.
    expect(live.some((f) => /^speech +\[[#-]{20}\] +\d+% {2}spoke turn \d+\/\d+/.test(f))).toBe(true);
    expect(live.some((f) => /^audio +\[[#-]{20}\]/.test(f))).toBe(true);
    // What stays on the screen once it is done: no progress lines, the warning in words, the result.
    const shown = screen(raw).filter(Boolean);
    expect(shown).toEqual([
      `"Tides rise twice a day. The moon pulls…": tech_discussion (the default profile), spoken by Alex, Sam`,
      "warning: built-in voices speak English only; this text will be read with English pronunciation",
      expect.stringMatching(/^done: 0:\d\d of audio in \d+ s \(episode:\w+\)$/),
    ]);
  });

  it("generate, Ctrl-C in speech: the live line gives way to one line saying so, exit 130, stdout empty", {
    timeout: 180_000,
  }, async () => {
    const dataDir = tmpDataDir();
    const out = path.join(dataDir, "stdout.txt");
    const prose = path.join(ROOT, "test", "fixtures", "prose.md"); // 22 turns: speech lasts seconds
    const run = onTerminal(["generate", prose, "--data-dir", dataDir], { stdoutFile: out });
    await waitFor(() => frames(run.output()).some((f) => / spoke turn \d+\/\d+/.test(f)), 120_000);
    run.child.stdin?.write("\x03"); // typed on the terminal: SIGINT to the foreground process
    expect(await run.exited, run.output()).toBe(130);
    expect(readFileSync(out, "utf8")).toBe("");
    expect(screen(run.output()).filter(Boolean).at(-1)).toBe("podcast-mcp generate: canceled during speech");
  });

  it("generate --log-level info: JSON log lines above the live line; stdout still the path alone", {
    timeout: 180_000,
  }, async () => {
    const dataDir = tmpDataDir();
    const out = path.join(dataDir, "stdout.txt");
    const run = onTerminal(["generate", TEXT, "--log-level", "info", "--language", "de", "--data-dir", dataDir], {
      stdoutFile: out,
    });
    expect(await run.exited, run.output()).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/^\/[^\n]+\/audio\.mp3\n$/);
    const shown = screen(run.output()).filter(Boolean);
    const logs = shown.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(logs.map((l) => l.msg)).toContain("speech: done");
    // Asked for logs, the warning is a log line, not printed twice.
    expect(logs.some((l) => l.level === 40 && l.msg.startsWith("built-in voices speak English only"))).toBe(true);
    expect(shown.filter((l) => l.startsWith("warning:"))).toEqual([]);
    expect(frames(run.output()).some((f) => /^speech +\[/.test(f))).toBe(true);
  });

  it("doctor: the check under way on the live line, one line per result", { timeout: 120_000 }, async () => {
    const run = onTerminal(["doctor", "--data-dir", tmpDataDir()]);
    expect(await run.exited, run.output()).toBe(0);
    expect(frames(run.output())).toContain("checking the built-in voice…");
    const shown = screen(run.output()).filter(Boolean);
    expect(
      shown.map((l) =>
        l
          .split(/\s{2,}/)
          .slice(0, 2)
          .join(" "),
      ),
    ).toEqual([
      "ok config",
      "ok logs",
      "ok local daemon",
      "ok script writer (auto)",
      "ok voices (auto)",
      "ok built-in voice",
    ]);
    expect(shown[1]).toMatch(/warnings in words; --log-level, LOG_LEVEL or LOG_FILE turn logs on/);
  });

  it("daemon in the foreground says what runs and how to stop it; stop counts the wait; no log lines", {
    timeout: 180_000,
  }, async () => {
    const dataDir = tmpDataDir();
    daemonDirs.push(dataDir);
    const daemon = onTerminal(["daemon", "--workers", "1", "--data-dir", dataDir]);
    await waitFor(() => screen(daemon.output()).some((l) => l.startsWith("daemon: Ctrl-C")), 60_000);
    const pid = (await readDaemonState(dataDir))?.pid;
    expect(pid).toBeTypeOf("number");
    const stop = onTerminal(["stop", "--data-dir", dataDir]);
    expect(await stop.exited, stop.output()).toBe(0);
    expect(await daemon.exited, daemon.output()).toBe(0);

    expect(frames(stop.output())[0]).toMatch(
      new RegExp(`^Stopping the daemon \\(pid ${pid}\\); jobs have \\d+ s to finish or go back to the queue$`),
    );
    expect(screen(stop.output()).filter(Boolean)).toEqual([expect.stringMatching(/^Stopped\. \(\d+\.\d s\)$/)]);

    expect(daemon.output()).not.toContain('"level"');
    expect(frames(daemon.output())).toContain("daemon: starting the database and workers…");
    expect(screen(daemon.output()).filter(Boolean)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^daemon: database on 127\\.0\\.0\\.1:\\d+ \\(data dir ${escapeRegex(dataDir)}\\), 1 worker, started when`,
        ),
      ),
      expect.stringMatching(/^daemon: Ctrl-C or "podcast-mcp stop" stops it; running jobs then get \d+ s to finish$/),
      "daemon: stopped",
    ]);
  });

  it("the same daemon not on a terminal (its stderr is daemon.log when serve starts it) logs JSON", {
    timeout: 120_000,
  }, async () => {
    const dataDir = tmpDataDir();
    daemonDirs.push(dataDir);
    const daemon = spawnCli(["daemon", "--workers", "0", "--data-dir", dataDir], cleanEnv({ LOG_LEVEL: undefined }));
    await waitFor(() => daemon.stderr().includes('"msg":"daemon started"'), 60_000);
    await stopProc(daemon, 30_000);
    const lines = daemon.stderr().split("\n").filter(Boolean);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(JSON.parse(l)).toMatchObject({ name: "daemon", pid: daemon.child.pid });
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toContain("daemon stopped");
  });
});
