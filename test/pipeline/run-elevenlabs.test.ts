// An episode spoken by ElevenLabs voices: the real @elevenlabs/elevenlabs-js SDK inside the real
// TTS registry, pointed at a loopback fake that speaks ElevenLabs' wire format. The script comes
// from the built-in writer, so only the voices are remote.
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { MPEGDecoder } from "mpg123-decoder";
import { readFileSync } from "node:fs";
import { loadConfig } from "../../src/config.js";
import { silentLogger } from "../../src/log.js";
import { checkVoices, runPipeline, type PipelineDeps } from "../../src/pipeline/run.js";
import { createTtsEngine, resolveTtsProvider } from "../../src/providers/tts/registry.js";
import type { EpisodeProfile, SpeakerProfile, TtsEngine } from "../../src/core/model.js";
import { createWriter } from "../../src/providers/writer/registry.js";
import { fakeElevenLabs } from "../fakes/elevenlabs.js";
import { startFakeServer, type FakeServer } from "../fakes/server.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import { context, MemoryCheckpoints, MemorySpeechCache } from "./support.js";

const eleven = fakeElevenLabs({ apiKey: "xi-test", latencyMs: 30 });
let server: FakeServer;
beforeAll(async () => {
  server = await startFakeServer(eleven.handler);
});
afterAll(async () => {
  await server.close();
  await stopAll();
});

const EPISODE: EpisodeProfile = {
  name: "eleven_show",
  description: "",
  speaker_profile: "eleven_pair",
  outline_provider: "builtin",
  outline_model: "",
  transcript_provider: "builtin",
  transcript_model: "",
  language: "en",
  default_briefing: "",
  num_segments: 3,
};
const PAIR: SpeakerProfile = {
  name: "eleven_pair",
  description: "",
  tts_provider: "elevenlabs",
  tts_model: "eleven_multilingual_v2",
  speakers: [
    {
      name: "Rachel",
      voice_id: "21m00Tcm4TlvDq8ikWAM",
      backstory: "host",
      personality: "warm",
      settings: { stability: 0.4, style: 0.2 },
    },
    { name: "George", voice_id: "JBFqnCBsd6RMkjVDRZzb", backstory: "guest", personality: "calm" },
  ],
};

function deps(outDir: string): PipelineDeps {
  const config = loadConfig({ ELEVENLABS_API_KEY: "xi-test", ELEVENLABS_BASE_URL: server.url });
  const engines = new Map<string, TtsEngine>();
  return {
    writer: (provider, model) => createWriter(provider, model, config, silentLogger),
    tts: (p) =>
      engines.get(p) ?? engines.set(p, createTtsEngine(p, config, silentLogger, { timeoutMs: 5_000 })).get(p)!,
    resolveTts: (name) => resolveTtsProvider(name, config),
    speechCache: new MemorySpeechCache(),
    outDir,
  };
}

it("makes an episode with ElevenLabs voices through the real SDK", async () => {
  const dir = tmpDataDir("podcast-mcp-run-eleven-");
  const d = deps(path.join(dir, "e"));
  const content =
    "# Tides\n\nThe moon pulls on the sea. The water rises twice a day.\n\n# Waves\n\nWind makes waves. Storms make big ones.\n\n# Coasts\n\nCliffs wear away. Beaches move with the seasons.";
  await checkVoices(PAIR, d);
  const r = await runPipeline(
    { episodeName: "Sea", briefing: "", content, episodeProfile: EPISODE, speakerProfile: PAIR, language: "en" },
    context(new MemoryCheckpoints()),
    d,
  );
  expect(eleven.stats.synthesized).toBe(r.stats.turns);
  expect(eleven.stats.maxInFlight).toBeLessThanOrEqual(2); // ElevenLabs free plans allow 2
  const synth = server.requests.filter((q) => q.path.startsWith("/v1/text-to-speech/"));
  expect(synth.every((q) => q.headers["xi-api-key"] === "xi-test" && /output_format=pcm_24000/.test(q.path))).toBe(
    true,
  );
  expect(new Set(synth.map((q) => q.path.split("/")[3]!.split("?")[0]))).toEqual(
    new Set(PAIR.speakers.map((s) => s.voice_id)),
  );
  const body = JSON.parse(synth.find((q) => q.path.includes("21m00Tcm4TlvDq8ikWAM"))!.body) as {
    model_id: string;
    voice_settings?: { stability?: number };
  };
  expect(body.model_id).toBe("eleven_multilingual_v2");
  expect(body.voice_settings?.stability).toBe(0.4);

  const decoder = new MPEGDecoder();
  await decoder.ready;
  const decoded = decoder.decode(new Uint8Array(readFileSync(r.files.mp3)));
  decoder.free();
  expect(Math.abs(decoded.samplesDecoded / decoded.sampleRate - r.durationSeconds)).toBeLessThan(0.2);
  expect(r.chapters.map((c) => c.title)).toEqual(["Tides", "Waves", "Coasts"]);
});

it("refuses a voice ElevenLabs does not have before any speech is made", async () => {
  const before = eleven.stats.requests;
  const bad = { ...PAIR, speakers: [{ ...PAIR.speakers[0]!, voice_id: "noSuchVoice" }] };
  await expect(checkVoices(bad, deps(tmpDataDir()))).rejects.toThrow(/noSuchVoice/);
  expect(eleven.stats.requests).toBe(before);
});
