// The offline engine for real: Flite compiled to WASI, run in a speech host process.
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.js";
import { silentLogger } from "../../src/log.js";
import { BuiltinTtsEngine, fliteCompileCount, stopSpeechHosts } from "../../src/providers/tts/builtin.js";
import type { Pcm, SpeechRequest } from "../../src/core/model.js";
import { medianPitchHz, rms } from "./pitch.js";

const TEXT =
  "Welcome back to the show. Today we look at how a notebook of scattered ideas becomes a conversation worth hearing.";
const WORDS = TEXT.split(/\s+/).length; // 21
const live = () => new AbortController().signal;
const req = (voice: string, extra: Partial<SpeechRequest> = {}): SpeechRequest => ({
  text: TEXT,
  voice,
  model: "flite",
  language: "en",
  ...extra,
});
const seconds = (p: Pcm) => p.samples.length / p.sampleRate;

afterAll(() => stopSpeechHosts());

describe("built-in Flite voices", () => {
  const engine = new BuiltinTtsEngine(silentLogger);

  it("speaks at a plausible rate, with a female and two male voices a listener tells apart, compiling the module once", async () => {
    const t0 = performance.now();
    const slt = await engine.synthesize(req("slt"), live());
    const first = performance.now() - t0;
    const t1 = performance.now();
    const rmsVoice = await engine.synthesize(req("rms"), live());
    const second = performance.now() - t1;
    const awb = await engine.synthesize(req("awb"), live());

    for (const p of [slt, rmsVoice, awb]) {
      expect(p.sampleRate).toBe(16000);
      // 1.8–4.5 words per second covers slow to brisk human speech.
      expect(seconds(p)).toBeGreaterThan(WORDS / 4.5);
      expect(seconds(p)).toBeLessThan(WORDS / 1.8);
      expect(rms(p)).toBeGreaterThan(0.01);
    }
    const [fSlt, fRms, fAwb] = [medianPitchHz(slt), medianPitchHz(rmsVoice), medianPitchHz(awb)];
    // Measured: slt ≈ 165 Hz, rms ≈ 103 Hz, awb ≈ 128 Hz.
    expect(fSlt).toBeGreaterThan(140);
    expect(fRms).toBeLessThan(125);
    expect(fAwb).toBeLessThan(145);
    expect(fSlt / fRms).toBeGreaterThan(1.3);
    expect(fSlt / fAwb).toBeGreaterThan(1.15);

    expect(fliteCompileCount()).toBe(1);
    // The first call includes the 21 MB compile; later ones reuse the module. Loose bound: the
    // machine is shared, so only require the second not to be much slower than the first.
    expect(second).toBeLessThan(first * 2 + 200);
  });

  it("speed stretches and squeezes the same sentence", async () => {
    const normal = seconds(await engine.synthesize(req("slt"), live()));
    const fast = seconds(await engine.synthesize(req("slt", { settings: { speed: 2 } }), live()));
    const slow = seconds(await engine.synthesize(req("slt", { settings: { speed: 0.5 } }), live()));
    expect(fast / normal).toBeGreaterThan(0.4);
    expect(fast / normal).toBeLessThan(0.65);
    expect(slow / normal).toBeGreaterThan(1.6);
    expect(slow / normal).toBeLessThan(2.4);
  });

  it("many syntheses in a row stay healthy (no process abort, memory returned)", async () => {
    // Node 20's WASI aborts the whole process when a GC runs inside one of its calls (the old
    // WASI objects collected then). Run on one thread with the default flags, this exact sequence
    // aborted every time; the speech host runs it with WASI's fast calls switched off.
    const before = process.memoryUsage().rss;
    const long = "Welcome to the show. Today we talk about how podcasts are made from notebooks, and why it matters.";
    const steps: Array<[string, number, string]> = [
      ["slt", 1, long],
      ["rms", 1, long],
      ["awb", 1, long],
      ["kal16", 1, long],
      ["kal", 1, long],
      ["slt", 1, long],
      ["slt", 0.5, "Welcome to the show."],
      ["slt", 2, "Welcome to the show."],
      ["rms", 1, "And goodbye."],
    ];
    for (const [voice, speed, text] of steps) {
      const p = await engine.synthesize(req(voice, { text, settings: { speed } }), live());
      expect(seconds(p)).toBeGreaterThan(0.3);
    }
    expect(process.memoryUsage().rss - before).toBeLessThan(150e6);
  });

  it("rejects an unknown voice and a speed out of range, naming the field", async () => {
    await expect(engine.checkVoice("alloy", "flite")).rejects.toMatchObject({
      kind: "invalid_input",
      field: "voice_id",
    });
    await expect(engine.checkVoice("rms", "flite")).resolves.toBeUndefined();
    const err = await engine.synthesize(req("slt", { settings: { speed: 3 } }), live()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ kind: "invalid_input", field: "settings.speed" });
  });

  it("is canceled by the signal mid-synthesis", async () => {
    const ac = new AbortController();
    const long = Array.from({ length: 40 }, () => TEXT).join(" ");
    const started = performance.now();
    setTimeout(() => ac.abort(), 50);
    await expect(engine.synthesize(req("slt", { text: long }), ac.signal)).rejects.toMatchObject({ kind: "canceled" });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("speaks other languages with English rules and warns once per language", async () => {
    const lines: string[] = [];
    const log = pino(
      { level: "warn" },
      new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) }),
    );
    const e = new BuiltinTtsEngine(log);
    const p1 = await e.synthesize(req("slt", { text: "Bonjour à tous.", language: "fr" }), live());
    await e.synthesize(req("slt", { text: "Merci beaucoup.", language: "fr" }), live());
    await e.synthesize(req("slt", { text: "Hello there.", language: "en-GB" }), live());
    expect(seconds(p1)).toBeGreaterThan(0.3);
    const warnings = lines
      .map((l) => JSON.parse(l) as { msg: string; language?: string })
      .filter((l) => /English only/.test(l.msg));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.language).toBe("fr");
  });
});
