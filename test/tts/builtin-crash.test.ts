// A native crash of the built-in voice costs a turn, never the calling process (issue 7 §1, 8 §3).
// Real speech hosts: crashed from inside through the test hook (SIGSEGV, as Flite crashed) or
// killed from outside; this file's own temp root shows what every ending leaves behind.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.js";
import {
  BuiltinTtsEngine,
  fliteCompileCount,
  speechHostPids,
  stopSpeechHosts,
} from "../../src/providers/tts/builtin.js";
import { SpeechHostPool } from "../../src/providers/tts/builtin/pool.js";
import { makeSpeechDir, removeSpeechDir, sweepOrphans } from "../../src/providers/tts/builtin/temp-dirs.js";
import type { SpeechRequest } from "../../src/core/model.js";
import { cleanEnv, ROOT, stopAll, track, waitFor } from "../helpers/procs.js";
import { rms } from "./pitch.js";

const MARKER = "zebra-crash-marker";
const SENTENCE = "Welcome back to the show, where a notebook of scattered ideas becomes a conversation worth hearing.";
const LONG = Array.from({ length: 30 }, () => SENTENCE).join(" "); // ~3,000 characters, ~15 s of work

// The hosts read the environment when they start: set before the first synthesis of this file.
const savedTmp = process.env.TMPDIR;
let tmpRoot = "";
beforeAll(() => {
  tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "podcast-mcp-test-flite-"));
  process.env.TMPDIR = tmpRoot; // os.tmpdir() reads it on every call
  process.env.PODCAST_MCP_TEST_FLITE_CRASH = MARKER;
});
afterAll(async () => {
  await stopSpeechHosts();
  await stopAll();
  delete process.env.PODCAST_MCP_TEST_FLITE_CRASH;
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  fs.rmSync(tmpRoot, { recursive: true, force: true });
});

const lines: string[] = [];
const log = pino({ level: "warn" }, new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) }));
const engine = new BuiltinTtsEngine(log);
const req = (text: string, voice = "slt"): SpeechRequest => ({ text, voice, model: "flite", language: "en" });
const live = () => new AbortController().signal;
const leftovers = () => fs.readdirSync(tmpRoot);
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const crashWarnings = () =>
  lines.map((l) => JSON.parse(l) as { msg: string; signal?: string }).filter((l) => /engine crashed/.test(l.msg));

describe("a crash of the built-in voice is contained", () => {
  it("a turn that crashes the engine twice fails with a readable, permanent error; this process lives on", {
    timeout: 120_000,
  }, async () => {
    const ok = await engine.synthesize(req("Before the crash."), live());
    expect(ok.samples.length).toBeGreaterThan(0);
    const compiledBefore = fliteCompileCount();
    lines.length = 0;

    const err = await engine
      .synthesize(req(`This turn says ${MARKER} and brings the engine down.`), live())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    // Permanent: the same text crashed two fresh engines, a job retry would crash a third.
    expect(err).toMatchObject({ kind: "provider_permanent" });
    expect((err as Error).message).toMatch(
      /built-in voice slt: the speech engine crashed \(SIGSEGV\) on this turn twice/,
    );
    // Tried once more in a fresh engine, after a warning naming the signal.
    expect(crashWarnings()).toHaveLength(1);
    expect(crashWarnings()[0]!.signal).toBe("SIGSEGV");
    // The host that spoke before crashed first; the retry ran in a new one.
    expect(fliteCompileCount()).toBe(compiledBefore + 1);
    expect(leftovers()).toEqual([]);

    // The next turn works, in a fresh engine, and speaks.
    const after = await engine.synthesize(req("After the crash, the show goes on."), live());
    expect(after.sampleRate).toBe(16000);
    expect(rms(after)).toBeGreaterThan(0.01);
    expect(leftovers()).toEqual([]);
  });

  it("a host killed mid-synthesis costs one retry, not the turn", { timeout: 180_000 }, async () => {
    lines.length = 0;
    const speaking = engine.synthesize(req(LONG, "awb"), live());
    const [pid] = await waitFor(() => {
      const pids = speechHostPids();
      return pids.length > 0 && pids;
    });
    // Let it get into Flite (the module compiles, the text is read) before the kill.
    await new Promise((r) => setTimeout(r, 500));
    process.kill(pid!, "SIGKILL");
    const pcm = await speaking;
    expect(pcm.samples.length / pcm.sampleRate).toBeGreaterThan(60);
    expect(rms(pcm)).toBeGreaterThan(0.01);
    expect(crashWarnings().map((w) => w.signal)).toEqual(["SIGKILL"]);
    expect(isAlive(pid!)).toBe(false);
    expect(speechHostPids()).not.toContain(pid);
    expect(leftovers()).toEqual([]);
  });

  it("an abort mid-synthesis stops the engine at once and leaves no file", { timeout: 120_000 }, async () => {
    const ac = new AbortController();
    const speaking = engine.synthesize(req(LONG), ac.signal);
    const [pid] = await waitFor(() => {
      const pids = speechHostPids();
      return pids.length > 0 && pids;
    });
    await new Promise((r) => setTimeout(r, 500));
    const t0 = performance.now();
    ac.abort();
    await expect(speaking).rejects.toMatchObject({ kind: "canceled" });
    // The whole turn takes ~15 s of one core; loose bound on a shared machine.
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(isAlive(pid!)).toBe(false);
    expect(leftovers()).toEqual([]);
    // And the next turn starts a fresh host.
    const next = await engine.synthesize(req("Right, where were we?"), live());
    expect(rms(next)).toBeGreaterThan(0.01);
  });

  it("an idle host is stopped after the idle time; the next synthesis starts another", {
    timeout: 120_000,
  }, async () => {
    const pool = new SpeechHostPool({ size: 1, idleMs: 300 });
    const speakOnce = async () => {
      const dir = await makeSpeechDir();
      try {
        fs.writeFileSync(path.join(dir, "in.txt"), "Hello.\n");
        expect(await pool.run({ dir, voice: "kal16", stretch: "1.0000" }, live())).toBe(0);
        expect(fs.statSync(path.join(dir, "out.wav")).size).toBeGreaterThan(1000);
      } finally {
        await removeSpeechDir(dir);
      }
    };
    await speakOnce();
    const [pid] = pool.pids();
    expect(pid).toBeGreaterThan(0);
    await waitFor(() => pool.pids().length === 0 && !isAlive(pid!), 10_000);
    await speakOnce();
    expect(pool.started).toBe(2);
    await pool.stop();
    expect(pool.pids()).toEqual([]);
  });

  it("a process that used the voice exits when its work is done, with nothing from the host on its stdout", {
    timeout: 120_000,
  }, async () => {
    // If an idle host kept the caller alive, this would take the 30 s idle time; if the host
    // wrote to fd 1, an MCP server on stdio would send garbage to its client.
    const script = [
      `const { BuiltinTtsEngine } = await import(${JSON.stringify(path.join(ROOT, "dist/providers/tts/builtin.js"))});`,
      `const { silentLogger } = await import(${JSON.stringify(path.join(ROOT, "dist/log.js"))});`,
      "const pcm = await new BuiltinTtsEngine(silentLogger).synthesize({ text: 'Done and dusted.', voice: 'rms', model: '', language: 'en' }, new AbortController().signal);",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the child's own template literal
      "process.stderr.write(`samples ${pcm.samples.length}\\n`);",
    ].join("\n");
    const child = track(
      spawn(process.execPath, ["--input-type=module", "-e", script], {
        env: cleanEnv({ TMPDIR: tmpRoot }),
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    let out = "";
    let err = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    const t0 = performance.now();
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(err).toMatch(/samples \d{4,}/);
    expect(code).toBe(0);
    expect(out).toBe("");
    expect(performance.now() - t0).toBeLessThan(25_000);
    expect(leftovers()).toEqual([]);
  });

  it("the speech dirs of a process that died are removed by the next one", async () => {
    const root = fs.mkdtempSync(path.join(tmpRoot, "sweep-"));
    const gone = spawn(process.execPath, ["-e", "0"]);
    const deadPid = gone.pid!;
    await new Promise((r) => gone.once("exit", r));
    for (const pid of [deadPid, process.pid, process.ppid]) {
      fs.mkdirSync(path.join(root, `podcast-mcp-flite-${pid}-abc123`));
      fs.writeFileSync(path.join(root, `podcast-mcp-flite-${pid}-abc123`, "out.wav"), "RIFF");
    }
    fs.mkdirSync(path.join(root, "something-else-1"));
    expect(await sweepOrphans(root)).toBe(1);
    expect(fs.readdirSync(root).sort()).toEqual(
      [
        `podcast-mcp-flite-${process.pid}-abc123`,
        `podcast-mcp-flite-${process.ppid}-abc123`,
        "something-else-1",
      ].sort(),
    );
    fs.rmSync(root, { recursive: true, force: true });
  });
});
