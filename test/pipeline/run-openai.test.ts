// The pipeline with the real OpenAI writer and TTS engine (real `openai` SDK, real registries),
// pointed at loopback fakes that speak OpenAI's wire format. Nothing paid is ever called.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { silentLogger } from "../../src/log.js";
import { runPipeline, type PipelineDeps } from "../../src/pipeline/run.js";
import { createTtsEngine, resolveTtsProvider } from "../../src/providers/tts/registry.js";
import type { EpisodeProfile, SpeakerProfile, TtsEngine } from "../../src/core/model.js";
import { createWriter } from "../../src/providers/writer/registry.js";
import { openAiChatFake } from "../fakes/openai-chat.js";
import { fakeOpenAiSpeech } from "../fakes/openai-speech.js";
import { startFakeServer, type FakeServer } from "../fakes/server.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import { context, MemoryCheckpoints, MemorySpeechCache } from "./support.js";

const chat = openAiChatFake({ apiKey: "test-key" });
const speech = fakeOpenAiSpeech({ apiKey: "test-key", latencyMs: 80, msPerChar: 20 });
let server: FakeServer;

beforeAll(async () => {
  server = await startFakeServer(chat, speech.handler);
});
afterAll(async () => {
  await server.close();
  await stopAll();
});

const EPISODE: EpisodeProfile = {
  name: "openai_show",
  description: "",
  speaker_profile: "pair",
  outline_provider: "auto",
  outline_model: "gpt-test-outline",
  transcript_provider: "auto",
  transcript_model: "gpt-test-transcript",
  language: "de",
  default_briefing: "",
  num_segments: 3,
};
const PAIR: SpeakerProfile = {
  name: "pair",
  description: "",
  tts_provider: "auto",
  tts_model: "tts-1",
  speakers: [
    { name: "Host", voice_id: "nova", backstory: "host", personality: "lively" },
    { name: "Guest", voice_id: "onyx", backstory: "expert", personality: "precise" },
  ],
};

function openAiDeps(outDir: string, cache: MemorySpeechCache): PipelineDeps {
  const config = loadConfig({ OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: `${server.url}/v1` });
  const engines = new Map<string, TtsEngine>();
  return {
    writer: (provider, model) => createWriter(provider, model, config, silentLogger),
    tts: (p) =>
      engines.get(p) ?? engines.set(p, createTtsEngine(p, config, silentLogger, { timeoutMs: 5_000 })).get(p)!,
    resolveTts: (name) => resolveTtsProvider(name, config),
    speechCache: cache,
    outDir,
  };
}

describe("runPipeline with the OpenAI writer and voices (loopback fakes)", () => {
  it("writes, speaks within the provider's concurrency, survives a 429, and a re-run calls no provider", async () => {
    // The first speech request is rate limited; the engine waits the Retry-After and tries again.
    speech.fail({ status: 429, retryAfter: "1" });
    const dir = tmpDataDir("podcast-mcp-run-openai-");
    const cache = new MemorySpeechCache();
    const checkpoints = new MemoryCheckpoints();
    const input = {
      episodeName: "Gezeiten",
      briefing: "Erkläre die Gezeiten.",
      content: "Der Mond zieht am Wasser. Zweimal am Tag steigt die Flut.",
      episodeProfile: EPISODE,
      speakerProfile: PAIR,
      language: "de",
    };
    const t0 = Date.now();
    const r = await runPipeline(input, context(checkpoints), openAiDeps(path.join(dir, "e"), cache));

    // 1 outline + 3 segment requests, with the models of the profile and the language in the prompt.
    expect(chat.bodies.map((b) => b.model)).toEqual([
      "gpt-test-outline",
      "gpt-test-transcript",
      "gpt-test-transcript",
      "gpt-test-transcript",
    ]);
    expect(chat.bodies.every((b) => b.messages.some((m) => /German|de\b/.test(m.content)))).toBe(true);
    expect(r.outline.segments.length).toBe(3);
    expect(r.stats.turns).toBe(12); // the fake writes 4 turns per segment
    expect(new Set(r.transcript.map((t) => t.speaker))).toEqual(new Set(["Host", "Guest"]));

    // Every turn reached the speech endpoint once, plus the one 429.
    expect(speech.stats.synthesized).toBe(12);
    expect(speech.stats.requests).toBe(13);
    expect(r.stats).toEqual({ turns: 12, synthesized: 12, cached: 0 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_000); // the Retry-After was honoured
    // Bounded concurrency: more than one in flight (the provider allows 4), never more than 4.
    expect(speech.stats.maxInFlight).toBeGreaterThan(1);
    expect(speech.stats.maxInFlight).toBeLessThanOrEqual(4);
    const speechBodies = server.requests
      .filter((q) => q.path.endsWith("/audio/speech"))
      .map((q) => JSON.parse(q.body) as { model: string; voice: string });
    expect(new Set(speechBodies.map((b) => b.model))).toEqual(new Set(["tts-1"]));
    expect(new Set(speechBodies.map((b) => b.voice))).toEqual(new Set(["nova", "onyx"]));
    expect(r.chapters.length).toBe(3);
    expect(r.durationSeconds).toBeGreaterThan(5);

    // A retry of the same episode: checkpoints and the speech cache answer everything.
    const chatBefore = chat.bodies.length;
    const speechBefore = speech.stats.requests;
    const again = await runPipeline(input, context(checkpoints), openAiDeps(path.join(dir, "e"), cache));
    expect(chat.bodies.length).toBe(chatBefore);
    expect(speech.stats.requests).toBe(speechBefore);
    expect(again.stats).toEqual({ turns: 12, synthesized: 0, cached: 12 });
  });
});
