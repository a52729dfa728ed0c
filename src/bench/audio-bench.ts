// Audio assembly of 30- and 60-minute two-speaker episodes: speed (× realtime, wall clock and CPU
// of all threads), peak RSS, loudness, the spread of loudness between speakers and the duration
// error, the last two measured on the finished MP3 decoded again. Prints figures; asserts nothing.
//
// Input: real speech from the built-in Flite voices slt and rms (about 5 LU apart as Flite makes
// them), synthesised once, resampled to 24 kHz in advance (the OpenAI/ElevenLabs rate; resampling
// is timed on its own below) and reused turn after turn with ±3 dB of variation, kept on disk as
// the speech cache keeps clips. Each run is its own child process (this file with --child), so its
// peak RSS is its own. "memory" is the assembly this project had before streaming (the whole
// episode in memory: join, normalise, encode), kept here only to compare loudness, memory and speed.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { silentLogger } from "../log.js";
import { assembleEpisode, type AssembledEpisode } from "../pipeline/audio/assemble.js";
import type { ClipSource } from "../pipeline/audio/clip-source.js";
import { joinClips } from "../pipeline/audio/join.js";
import { integratedLoudness } from "../pipeline/audio/loudness.js";
import { encodeMp3 } from "../pipeline/audio/mp3.js";
import { normalizeAsync } from "../pipeline/audio/normalize.js";
import { resample } from "../pipeline/audio/resample.js";
import { BuiltinTtsEngine } from "../providers/tts/builtin.js";
import type { Pcm, TimedTurn, Turn } from "../core/model.js";

const RATE = 24_000;
const SEGMENTS = 6;
const SIZES = (process.env.AUDIO_BENCH_MINUTES ?? "30,60").split(",").map(Number);
const VOICES = { Host: "slt", Guest: "rms" } as const;
const LINES = [
  "Welcome back to Sea Notes. Today we talk about tides and why sailors care about them so much.",
  "Because the moon pulls the near side of the ocean, and the far side lags behind, so the water bulges twice.",
  "And the sun joins in twice a month, which gives us the spring tides that flood the lower streets.",
  "Neap tides come in between, when the sun and the moon pull at right angles to each other.",
  "Harbour masters print tables for all of it, a whole year ahead, and fishermen keep them in their pockets.",
  "Right.",
  "Exactly, and that is the part most people never think about.",
  "In some bays the water rises more than ten metres, because the shape of the coast funnels it in.",
];

const out = (line: string) => process.stdout.write(`${line}\n`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

interface RunResult {
  mode: "stream" | "memory";
  minutes: number;
  durationSeconds: number;
  wallSeconds: number;
  cpuSeconds: number;
  maxRssBytes: number;
  integrated: number;
  truePeak: number;
  /** Loudness of each speaker's turns, measured on the decoded MP3. */
  speakers: Record<string, number>;
  /** Decoded (gapless) length minus the published duration, ms. */
  durationErrorMs: number;
  work?: AssembledEpisode["work"];
  rounds?: number;
}

export async function audioBench(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "podcast-mcp-audio-bench-"));
  try {
    const voices = path.join(dir, "voices");
    await synthesizeVoices(voices);
    out(`input: Flite speech (Host ${VOICES.Host}, Guest ${VOICES.Guest}) at ${RATE} Hz, ±3 dB per turn`);
    out(`machine: ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} at start`);
    out("run              wall ×RT  CPU ×RT  peak RSS  integrated  true peak  speakers (decoded)  duration error");
    for (const minutes of SIZES) {
      const pair: RunResult[] = [];
      for (const mode of ["memory", "stream"] as const) {
        const r = await runChild(mode, minutes, voices);
        pair.push(r);
        const rt = (s: number) => `${(r.durationSeconds / s).toFixed(0)}×`.padStart(7);
        const levels = Object.values(r.speakers);
        const spread = Math.max(...levels) - Math.min(...levels);
        const who = Object.entries(r.speakers).map(([s, l]) => `${s} ${l.toFixed(2)}`);
        out(
          `${`${minutes} min ${mode}`.padEnd(15)} ${rt(r.wallSeconds)}  ${rt(r.cpuSeconds)}  ` +
            `${mb(r.maxRssBytes).padStart(8)}  ` +
            `${r.integrated.toFixed(2).padStart(7)} LUFS  ${r.truePeak.toFixed(2).padStart(5)} dBTP  ` +
            `spread ${spread.toFixed(2)} LU (${who.join(", ")})  ${r.durationErrorMs.toFixed(1)} ms`,
        );
        if (r.work) {
          const passes = r.work.map((w) => `pass ${w.pass} ${w.wall.toFixed(1)} s wall / ${w.cpu.toFixed(1)} s CPU`);
          out(`${"".padEnd(16)}${passes.join(", ")}; ${r.rounds} limiter round(s) in pass 2`);
        }
      }
      const diff = pair[1]!.integrated - pair[0]!.integrated;
      out(`${minutes} min: streaming minus in-memory integrated loudness: ${diff.toFixed(3)} LU`);
    }
    // Built-in voices speak at 16 kHz: resampling to the episode rate is extra work in pass 1.
    const clip = (await readVoice(voices, "rms", 0, 16_000)).samples;
    const long = new Float32Array(clip.length * 20);
    for (let k = 0; k < 20; k++) long.set(clip, k * clip.length);
    const t = performance.now();
    resample({ samples: long, sampleRate: 16_000 }, RATE);
    const seconds = long.length / 16_000;
    const speed = seconds / ((performance.now() - t) / 1000);
    out(`resample 16000 → ${RATE} Hz (Flite's rate): ${speed.toFixed(0)}× realtime`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runChild(mode: "stream" | "memory", minutes: number, voices: string): Promise<RunResult> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [self, "--child", mode, String(minutes), voices],
      { maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err)
          return reject(new Error(`audio bench child (${mode}, ${minutes} min) failed: ${stderr || err.message}`));
        resolve(JSON.parse(stdout.trim().split("\n").at(-1)!) as RunResult);
      },
    );
  });
}

/** Each line in each voice, as float32 files: at 16 kHz as Flite speaks, and at 24 kHz. */
async function synthesizeVoices(dir: string): Promise<void> {
  await mkdir(dir);
  const tts = new BuiltinTtsEngine(silentLogger);
  for (const voice of Object.values(VOICES)) {
    for (const [i, text] of LINES.entries()) {
      const pcm = await tts.synthesize({ text, voice, model: "", language: "en" }, new AbortController().signal);
      for (const p of [pcm, resample(pcm, RATE)])
        await writeFile(path.join(dir, `${voice}-${i}-${p.sampleRate}.pcm`), bytesOf(p.samples));
    }
  }
}

const bytesOf = (s: Float32Array) => new Uint8Array(s.buffer, s.byteOffset, s.byteLength);

async function readVoice(dir: string, voice: string, line: number, rate = RATE): Promise<Pcm> {
  const bytes = await readFile(path.join(dir, `${voice}-${line}-${rate}.pcm`));
  const samples = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(samples.buffer).set(bytes);
  return { samples, sampleRate: rate };
}

/** The bench episode's turns, deterministic: both modes get the same clips. */
async function plan(minutes: number, voices: string): Promise<{ turn: Turn; pcm: () => Promise<Pcm> }[]> {
  const target = minutes * 60;
  const turns: { turn: Turn; pcm: () => Promise<Pcm> }[] = [];
  const lengths = new Map<string, number>();
  let spoken = 0;
  for (let i = 0; spoken + 0.4 * turns.length < target; i++) {
    const speaker = i % 2 === 0 ? "Host" : "Guest";
    const line = (i * 5) % LINES.length;
    const gain = 10 ** ((((i * 37) % 7) - 3) / 20);
    const key = `${speaker}-${line}`;
    if (!lengths.has(key)) lengths.set(key, (await readVoice(voices, VOICES[speaker], line)).samples.length / RATE);
    const seconds = lengths.get(key)!;
    const segment = Math.min(SEGMENTS - 1, Math.floor((spoken / target) * SEGMENTS));
    const pcm = async () => {
      const p = await readVoice(voices, VOICES[speaker], line);
      for (let k = 0; k < p.samples.length; k++) p.samples[k]! *= gain;
      return p;
    };
    turns.push({ turn: { speaker, text: `Turn ${i}.`, segment }, pcm });
    spoken += seconds;
  }
  return turns;
}

async function child(mode: "stream" | "memory", minutes: number, voices: string): Promise<void> {
  const turns = await plan(minutes, voices);
  const dir = mkdtempSync(path.join(os.tmpdir(), "podcast-mcp-audio-bench-run-"));
  try {
    const segmentNames = Array.from({ length: SEGMENTS }, (_, i) => `Segment ${i + 1}`);
    const meta = { title: "Bench episode", show: "Bench", date: "2026-01-01" };
    const file = path.join(dir, "audio.mp3");
    let result: { durationSeconds: number; turns: TimedTurn[]; integrated: number; truePeak: number };
    let extra: Pick<RunResult, "work" | "rounds"> = {};
    let t0: number;
    let cpu0: NodeJS.CpuUsage;
    if (mode === "stream") {
      // A clip store on disk, one float32 file per turn, read when assembly reaches the turn.
      const store = path.join(dir, "clips");
      await mkdir(store);
      for (const [i, p] of turns.entries())
        await writeFile(path.join(store, `${i}.pcm`), bytesOf((await p.pcm()).samples));
      const clips: ClipSource[] = turns.map((p, i) => ({
        turn: p.turn,
        load: async () => {
          const bytes = await readFile(path.join(store, `${i}.pcm`));
          const samples = new Float32Array(bytes.byteLength / 4);
          new Uint8Array(samples.buffer).set(bytes);
          return { samples, sampleRate: RATE };
        },
      }));
      t0 = performance.now();
      cpu0 = process.cpuUsage();
      const ep = await assembleEpisode({ clips, segmentNames, meta, outFile: file });
      const { durationSeconds, turns: timed, loudness } = ep;
      result = { durationSeconds, turns: timed, integrated: loudness.integrated, truePeak: loudness.truePeak };
      extra = { work: ep.work, rounds: ep.rounds };
    } else {
      const clips = await Promise.all(turns.map(async (p) => ({ pcm: await p.pcm(), turn: p.turn })));
      t0 = performance.now();
      cpu0 = process.cpuUsage();
      const joined = joinClips(clips, { segmentNames });
      const norm = await normalizeAsync(joined.pcm, { inPlace: true });
      await writeFile(file, await encodeMp3(norm.pcm));
      const durationSeconds = joined.pcm.samples.length / RATE;
      result = { durationSeconds, turns: joined.turns, integrated: norm.integrated, truePeak: norm.truePeak };
    }
    const wallSeconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const maxRssBytes = process.resourceUsage().maxRSS * 1024; // before decoding, which is the bench's own work
    const measured = await measureDecoded(file, result.turns);
    const r: RunResult = {
      mode,
      minutes,
      durationSeconds: result.durationSeconds,
      wallSeconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      maxRssBytes,
      integrated: result.integrated,
      truePeak: result.truePeak,
      speakers: measured.speakers,
      durationErrorMs: (measured.seconds - result.durationSeconds) * 1000,
      ...extra,
    };
    process.stdout.write(`${JSON.stringify(r)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Decodes the MP3 (gapless, as players do) and meters each speaker's turns, played back to back. */
async function measureDecoded(
  file: string,
  turns: TimedTurn[],
): Promise<{ seconds: number; speakers: Record<string, number> }> {
  // A devDependency, loaded only here: the bench runs from a development checkout.
  const { MPEGDecoder } = await import("mpg123-decoder");
  const decoder = new MPEGDecoder();
  await decoder.ready;
  try {
    const d = decoder.decode(new Uint8Array(readFileSync(file)));
    const x = d.channelData[0]!;
    const speakers: Record<string, number> = {};
    for (const name of new Set(turns.map((t) => t.speaker))) {
      const spans = turns
        .filter((t) => t.speaker === name)
        .map((t) => x.subarray(Math.round(t.start * d.sampleRate), Math.round(t.end * d.sampleRate)));
      const joined = new Float32Array(spans.reduce((n, s) => n + s.length, 0));
      let o = 0;
      for (const s of spans) {
        joined.set(s, o);
        o += s.length;
      }
      speakers[name] = integratedLoudness({ samples: joined, sampleRate: d.sampleRate });
    }
    return { seconds: d.samplesDecoded / d.sampleRate, speakers };
  } finally {
    decoder.free();
  }
}

if (process.argv[2] === "--child") {
  const mode = process.argv[3] === "memory" ? "memory" : "stream";
  await child(mode, Number(process.argv[4]), process.argv[5]!);
  process.exit(0);
}
