// Audio assembly of a 30-minute, two-speaker episode from synthetic speech-like clips at 24 kHz:
// speed (× realtime) per step and overall, and peak RSS. Prints figures; asserts nothing.
import { assembleEpisode } from "../pipeline/audio/assemble.js";
import { resample } from "../pipeline/audio/resample.js";
import { speechLike } from "../pipeline/audio/test-signals.js";
import type { Pcm, Turn } from "../core/model.js";

const MINUTES = Number(process.env.AUDIO_BENCH_MINUTES ?? 30);
const RATE = 24_000;
const SEGMENTS = 6;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const out = (line: string) => process.stdout.write(`${line}\n`);

export async function audioBench(): Promise<void> {
  const target = MINUTES * 60;
  const clips: { pcm: Pcm; turn: Turn }[] = [];
  let speech = 0;
  // Each turn adds its speech plus ~0.4 s of pause: stop when the episode reaches the target length.
  for (let i = 0; speech + 0.4 * clips.length < target; i++) {
    const seconds = 4 + ((i * 7919) % 17); // 4–20 s turns, deterministic
    const segment = Math.min(SEGMENTS - 1, Math.floor((speech / target) * SEGMENTS));
    const speaker = i % 2 === 0 ? "Host" : "Guest";
    clips.push({
      pcm: speechLike(seconds, RATE, { seed: i + 1, padding: 0.15, peak: 0.2 + 0.3 * ((i * 31) % 7) / 7, pitch: speaker === "Host" ? 120 : 210 }),
      turn: { speaker, text: `Turn ${i}.`, segment },
    });
    speech += seconds;
  }
  const inputBytes = clips.reduce((n, c) => n + c.pcm.samples.byteLength, 0);
  const rssBefore = process.memoryUsage().rss;
  out(`episode: ${clips.length} clips, ${(speech / 60).toFixed(1)} min of speech at ${RATE} Hz (${mb(inputBytes)} of float PCM held by the caller)`);

  const marks: { f: number; t: number }[] = [];
  const t0 = performance.now();
  const ep = await assembleEpisode({
    clips,
    segmentNames: Array.from({ length: SEGMENTS }, (_, i) => `Segment ${i + 1}`),
    meta: { title: "Bench episode", show: "Bench", date: "2026-01-01" },
    onProgress: (f) => marks.push({ f, t: performance.now() }),
  });
  const total = (performance.now() - t0) / 1000;
  const at = (f: number) => (marks.find((m) => m.f >= f)?.t ?? performance.now()) - t0;
  const joinS = at(0.1) / 1000;
  const normS = (at(0.35) - at(0.1)) / 1000;
  const encS = (at(1) - at(0.35)) / 1000;
  const rt = (s: number) => `${(ep.durationSeconds / s).toFixed(0)}× realtime`;
  out(`duration: ${(ep.durationSeconds / 60).toFixed(2)} min, ${ep.chapters.length} chapters, MP3 ${mb(ep.mp3.length)} (64 kbps CBR mono)`);
  out(`loudness: ${ep.loudness.integrated.toFixed(2)} LUFS, true peak ${ep.loudness.truePeak.toFixed(2)} dBTP`);
  out(`join+resample+trim: ${joinS.toFixed(2)} s (${rt(joinS)})`);
  out(`normalize (meter + limiter rounds): ${normS.toFixed(2)} s (${rt(normS)})`);
  out(`encode + tag: ${encS.toFixed(2)} s (${rt(encS)})`);
  out(`assembly total: ${total.toFixed(2)} s (${rt(total)})`);
  // The bench episode is all 24 kHz (OpenAI/ElevenLabs rate); built-in voices speak at 16 kHz and
  // add resampling, measured here on its own.
  for (const from of [16_000, 22_050]) {
    const clip = speechLike(120, from, { seed: 7 });
    const t = performance.now();
    resample(clip, RATE);
    const s = (performance.now() - t) / 1000;
    out(`resample ${from} → ${RATE} Hz: ${(120 / s).toFixed(0)}× realtime (adds ~${((MINUTES * 60) / (120 / s)).toFixed(1)} s to a ${MINUTES}-minute episode)`);
  }
  // maxRSS covers the whole process, including the clips the bench synthesised before timing.
  out(`peak RSS: ${mb(process.resourceUsage().maxRSS * 1024)} (RSS before assembly ${mb(rssBefore)})`);
}
