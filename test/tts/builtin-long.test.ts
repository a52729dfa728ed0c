// Long turns with the real built-in voices (issue 7 §1): on Node 20 every turn past ~1,000
// characters used to kill the process with SIGSEGV. Real engine, real audio, decoded and checked:
// it lasts as long as the words need, and there is speech all the way through (nothing cut off,
// no stretch of silence or noise where a chunk went missing).
import { afterAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log.js";
import { BUILTIN_VOICES, BuiltinTtsEngine, stopSpeechHosts } from "../../src/providers/tts/builtin.js";
import { MAX_TURN_CHARS } from "../../src/sources/limits.js";
import { MAX_UTTERANCE_CHARS, utterances } from "../../src/providers/tts/builtin/utterances.js";
import type { Pcm } from "../../src/core/model.js";
import { rms } from "./pitch.js";

const PROSE = [
  "Welcome back to the show, where a notebook of scattered ideas becomes a conversation worth hearing.",
  "Today we look at durable job queues, and at what happens when a worker dies halfway through an episode.",
  "The short answer is that nothing already spoken is paid for twice; the long answer takes a while.",
  "Leases expire, attempts are counted, and a poisoned job must not take its neighbours down with it.",
].join(" ");
const UNPUNCTUATED =
  "welcome back to the show today we look at how a notebook of scattered ideas becomes a conversation worth hearing";
const SYSTEM_FILE = [
  "root:x:0:0:root:/root:/bin/bash",
  "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin",
  "bin:x:2:2:bin:/bin:/usr/sbin/nologin",
  "sys:x:3:3:sys:/dev:/usr/sbin/nologin",
  "sync:x:4:65534:sync:/bin:/bin/sync",
  "games:x:5:60:games:/usr/games:/usr/sbin/nologin",
  "man:x:6:12:man:/var/cache/man:/usr/sbin/nologin",
  "lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin",
  "mail:x:8:8:mail:/var/mail:/usr/sbin/nologin",
  "news:x:9:9:news:/var/spool/news:/usr/sbin/nologin",
  "uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin",
].join("\n");

const engine = new BuiltinTtsEngine(silentLogger);
const live = () => new AbortController().signal;
const say = (text: string, voice: string) => engine.synthesize({ text, voice, model: "flite", language: "en" }, live());
const seconds = (p: Pcm) => p.samples.length / p.sampleRate;
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

function repeatTo(text: string, chars: number): string {
  let out = "";
  while (out.length < chars) out += `${text} `;
  return out.slice(0, chars).trim();
}

/** RMS of each `windowS` slice: speech keeps every slice well above silence (utterance pauses are < 1 s). */
function windowLevels(p: Pcm, windowS: number): number[] {
  const n = Math.round(windowS * p.sampleRate);
  const levels: number[] = [];
  for (let start = 0; start + n <= p.samples.length; start += n) {
    levels.push(rms({ samples: p.samples.subarray(start, start + n), sampleRate: p.sampleRate }));
  }
  return levels;
}

function expectSpeech(p: Pcm, voice: string, text: string) {
  const sampleRate = BUILTIN_VOICES.find((v) => v.id === voice)!.sampleRate;
  expect(p.sampleRate).toBe(sampleRate);
  // 1.8–4.5 words per second covers slow to brisk human speech.
  expect(seconds(p)).toBeGreaterThan(words(text) / 4.5);
  expect(seconds(p)).toBeLessThan(words(text) / 1.8);
  let peak = 0;
  for (const v of p.samples) peak = Math.max(peak, Math.abs(v));
  expect(peak).toBeLessThanOrEqual(1);
  // Measured: the quietest 5 s of a 3,000-character turn is 0.034 (kal16) to 0.14 (slt).
  expect(Math.min(...windowLevels(p, 5))).toBeGreaterThan(0.01);
}

afterAll(() => stopSpeechHosts());

describe(`built-in voices speak long turns (Node ${process.versions.node})`, () => {
  it("a single 3,000-character turn with each voice", { timeout: 600_000 }, async () => {
    const text = repeatTo(PROSE, 3000);
    for (const { id } of BUILTIN_VOICES) {
      const pcm = await say(text, id);
      expectSpeech(pcm, id, text);
    }
  });

  it("1,440 characters without punctuation; the joins between utterances fall on silence", {
    timeout: 300_000,
  }, async () => {
    const text = repeatTo(UNPUNCTUATED, 1440);
    const whole = await say(text, "slt");
    expectSpeech(whole, "slt", text);
    // Flite is deterministic: the turn starts with exactly what its first utterance alone sounds
    // like, and the join after it is quiet (both sides end and start in Flite's own pause).
    const pieces = utterances(text);
    expect(pieces.length).toBeGreaterThan(1);
    const first = await say(pieces[0]!, "slt");
    expect(whole.samples.subarray(0, first.samples.length)).toEqual(first.samples);
    const join = first.samples.length;
    const around = whole.samples.subarray(join - 160, join + 160); // ±10 ms
    expect(Math.max(...Array.from(around, Math.abs))).toBeLessThan(0.02);
  });

  it("11 lines of a system file", { timeout: 300_000 }, async () => {
    const pcm = await say(SYSTEM_FILE, "rms");
    expect(pcm.sampleRate).toBe(16000);
    // Read out symbol by symbol, it is long: measured 70 s.
    expect(seconds(pcm)).toBeGreaterThan(30);
    expect(Math.min(...windowLevels(pcm, 5))).toBeGreaterThan(0.01);
  });

  it(`the script limit: ${MAX_TURN_CHARS} characters without a single space`, { timeout: 300_000 }, async () => {
    // The worst input for utterance cutting: nothing to cut at but the limit itself.
    const blob = "aB3xZ9qL".repeat(MAX_TURN_CHARS / 8);
    expect(blob.length).toBe(MAX_TURN_CHARS);
    const pcm = await say(blob, "kal16");
    expect(pcm.sampleRate).toBe(16000);
    // Spelled out, one symbol at a time: measured 834 s of audio, speech all the way.
    expect(seconds(pcm)).toBeGreaterThan((MAX_TURN_CHARS / MAX_UTTERANCE_CHARS) * 10);
    expect(Math.min(...windowLevels(pcm, 5))).toBeGreaterThan(0.01);
  });
});
