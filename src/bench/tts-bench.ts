// Speech throughput: 40 turns through the OpenAI engine against the loopback fake with 300 ms of
// latency per request, at concurrency 1 and 8 (the ratio is what bounded concurrency buys), and
// the built-in Flite voices' speed as × realtime, for sentences and for one 3,000-character turn
// (which crashed the process on Node 20 before the speech host). Prints figures; asserts nothing.
import { setMaxListeners } from "node:events";
import { silentLogger } from "../log.js";
import { BuiltinTtsEngine, fliteCompileCount, stopSpeechHosts } from "../providers/tts/builtin.js";
import { createTtsEngine } from "../providers/tts/registry.js";
import type { Pcm } from "../core/model.js";
import { startLoopback } from "../testing/fakes/loopback.js";
import { fakeOpenAiSpeech } from "../testing/fakes/openai-speech.js";

const TURNS = 40;
const LATENCY_MS = 300;
const out = (line: string) => process.stdout.write(`${line}\n`);

const SENTENCES = [
  "Welcome back to the show, where we turn a notebook of scattered ideas into a conversation.",
  "Today we are looking at how durable job queues survive a crash halfway through an episode.",
  "That sounds dry, but every listener has waited on a spinner that never finished.",
  "Right, and the trick is that nothing already spoken is ever paid for twice.",
];

async function openAiRun(concurrency: number): Promise<{ wallMs: number; maxInFlight: number; audioSeconds: number }> {
  const fake = fakeOpenAiSpeech({ latencyMs: LATENCY_MS });
  const server = await startLoopback(fake.handler);
  try {
    const config = {
      tts: { apiKey: "test-key", baseUrl: `${server.url}/v1`, model: undefined },
      elevenlabs: { apiKey: undefined, baseUrl: undefined },
    };
    const engine = createTtsEngine("openai", config, silentLogger, { concurrency });
    const signal = new AbortController().signal;
    // 40 turns waiting on one signal at once: the bench's own fan-out (the speech stage sizes its own).
    setMaxListeners(200, signal);
    const t0 = performance.now();
    const clips = await Promise.all(
      Array.from({ length: TURNS }, (_, i) =>
        engine.synthesize(
          { text: SENTENCES[i % SENTENCES.length]!, voice: i % 2 ? "nova" : "onyx", model: "tts-1", language: "en" },
          signal,
        ),
      ),
    );
    return { wallMs: performance.now() - t0, maxInFlight: fake.stats.maxInFlight, audioSeconds: seconds(clips) };
  } finally {
    await server.close();
  }
}

const seconds = (clips: Pcm[]) => clips.reduce((s, p) => s + p.samples.length / p.sampleRate, 0);

export async function ttsBench(): Promise<void> {
  const one = await openAiRun(1);
  const eight = await openAiRun(8);
  out(`openai fake, ${TURNS} turns, ${LATENCY_MS} ms latency each:`);
  out(`  concurrency 1: ${(one.wallMs / 1000).toFixed(2)} s wall (max in flight ${one.maxInFlight})`);
  out(`  concurrency 8: ${(eight.wallMs / 1000).toFixed(2)} s wall (max in flight ${eight.maxInFlight})`);
  out(
    `  speed-up: ${(one.wallMs / eight.wallMs).toFixed(2)}× (ideal 8×; ${eight.audioSeconds.toFixed(0)} s of audio per run)`,
  );

  const engine = new BuiltinTtsEngine(silentLogger);
  const signal = new AbortController().signal;
  const tCompile = performance.now();
  const first = await engine.synthesize({ text: SENTENCES[0]!, voice: "slt", model: "flite", language: "en" }, signal);
  const firstMs = performance.now() - tCompile;
  const firstAudio = (first.samples.length / first.sampleRate).toFixed(1);
  out(
    `builtin (Flite WASI): first sentence ${firstMs.toFixed(0)} ms incl. host start and compile, ${firstAudio} s of audio`,
  );
  for (const voice of ["slt", "rms", "awb"]) {
    const t0 = performance.now();
    const clips: Pcm[] = [];
    for (let i = 0; i < 8; i++)
      clips.push(
        await engine.synthesize(
          { text: SENTENCES[i % SENTENCES.length]!, voice, model: "flite", language: "en" },
          signal,
        ),
      );
    const wall = (performance.now() - t0) / 1000;
    const audio = seconds(clips);
    out(
      `  ${voice}: ${audio.toFixed(1)} s of audio in ${wall.toFixed(2)} s → ${(audio / wall).toFixed(0)}× realtime (one at a time)`,
    );
  }
  let long = "";
  for (let i = 0; long.length < 3000; i++) long += `${SENTENCES[i % SENTENCES.length]} `;
  for (const voice of ["slt", "kal16"]) {
    const t0 = performance.now();
    const turn = { text: long.slice(0, 3000), voice, model: "flite", language: "en" };
    const audio = seconds([await engine.synthesize(turn, signal)]);
    const wall = (performance.now() - t0) / 1000;
    const speed = `${(audio / wall).toFixed(0)}× realtime`;
    out(`  ${voice}, one 3,000-character turn: ${audio.toFixed(0)} s of audio in ${wall.toFixed(2)} s → ${speed}`);
  }
  out(`  module compiled ${fliteCompileCount()} time(s) (once per speech host started)`);
  await stopSpeechHosts();
}
