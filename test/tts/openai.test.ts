// OpenAI speech through the real `openai` SDK against a loopback fake that speaks the wire format.
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log.js";
import { OpenAiTtsEngine } from "../../src/providers/tts/openai.js";
import { createTtsEngine } from "../../src/providers/tts/registry.js";
import type { ResilienceOptions } from "../../src/providers/tts/resilient.js";
import type { SpeechRequest } from "../../src/core/model.js";
import { fakeOpenAiSpeech, type OpenAiSpeechFakeOptions } from "../fakes/openai-speech.js";
import { startFakeServer, type FakeServer } from "../fakes/server.js";
import { medianPitchHz } from "./pitch.js";

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(fakeOpts: OpenAiSpeechFakeOptions = {}, engineOpts: ResilienceOptions = {}, apiKey = "test-key") {
  const fake = fakeOpenAiSpeech(fakeOpts);
  const server = await startFakeServer(fake.handler);
  servers.push(server);
  const config = {
    tts: { apiKey, baseUrl: `${server.url}/v1`, model: undefined },
    elevenlabs: { apiKey: undefined, baseUrl: undefined },
  };
  const engine = createTtsEngine("openai", config, silentLogger, {
    baseDelayMs: 50,
    maxDelayMs: 200,
    timeoutMs: 5000,
    ...engineOpts,
  });
  return { fake, server, engine, config };
}

const live = () => new AbortController().signal;
const TEXT = "Twenty two characters!"; // 22 chars → 1.21 s at the fake's 55 ms per char
const req = (extra: Partial<SpeechRequest> = {}): SpeechRequest => ({
  text: TEXT,
  voice: "onyx",
  model: "tts-1",
  language: "en",
  ...extra,
});
const speechBodies = (s: FakeServer) =>
  s.requests.filter((r) => r.path.endsWith("/audio/speech")).map((r) => JSON.parse(r.body) as Record<string, unknown>);

describe("OpenAI speech engine", () => {
  it("returns 24 kHz PCM of the right length and voice, sending model, speed and instructions as the API expects", async () => {
    const { engine, server } = await setup();
    const deep = await engine.synthesize(req({ voice: "onyx" }), live());
    const bright = await engine.synthesize(
      req({ voice: "nova", model: "gpt-4o-mini-tts", settings: { speed: 1.25, instructions: "Cheerful." } }),
      live(),
    );
    expect(deep.sampleRate).toBe(24000);
    expect(deep.samples.length / 24000).toBeCloseTo(1.21, 2);
    expect(bright.samples.length / 24000).toBeCloseTo(1.21 / 1.25, 2);
    // The fake gives onyx 95 Hz and nova 220 Hz: the decoded samples carry the voice that was asked for.
    expect(medianPitchHz(deep)).toBeCloseTo(95, -1);
    expect(medianPitchHz(bright)).toBeCloseTo(220, -1);
    const [b1, b2] = speechBodies(server);
    expect(b1).toEqual({ model: "tts-1", voice: "onyx", input: TEXT, response_format: "pcm" });
    expect(b2).toEqual({
      model: "gpt-4o-mini-tts",
      voice: "nova",
      input: TEXT,
      response_format: "pcm",
      speed: 1.25,
      instructions: "Cheerful.",
    });
    // tts-1 does not take instructions: they are left out rather than refused by the API.
    await engine.synthesize(req({ settings: { instructions: "Whisper." } }), live());
    expect(speechBodies(server)[2]).not.toHaveProperty("instructions");
  });

  it("retries a 429 no sooner than its Retry-After", async () => {
    const { engine, fake } = await setup({ failures: [{ status: 429, retryAfter: "1" }] });
    const pcm = await engine.synthesize(req(), live());
    expect(pcm.samples.length).toBeGreaterThan(0);
    expect(fake.stats.requests).toBe(2);
    const [first, second] = fake.stats.arrivals;
    expect(second! - first!).toBeGreaterThanOrEqual(1000);
  });

  it("retries 500s and dropped connections", async () => {
    const { engine, fake } = await setup({ failures: [{ status: 500 }, { reset: true }, { status: 503 }] });
    const pcm = await engine.synthesize(req(), live());
    expect(pcm.samples.length).toBeGreaterThan(0);
    expect(fake.stats.requests).toBe(4);
    expect(fake.stats.synthesized).toBe(1);
  });

  it("gives up on a request that hangs past the timeout and retries it", async () => {
    const { engine, fake } = await setup({ failures: [{ hang: true }] }, { timeoutMs: 300 });
    const started = Date.now();
    const pcm = await engine.synthesize(req(), live());
    expect(pcm.samples.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(fake.stats.requests).toBe(2);
    // The hung request was really aborted on the wire, not left open.
    expect(fake.stats.inFlight).toBe(0);
  });

  it("stops after the attempt limit with provider_transient when the server keeps failing", async () => {
    const { engine, fake } = await setup(
      { failures: Array.from({ length: 5 }, () => ({ status: 502 })) },
      { attempts: 3 },
    );
    await expect(engine.synthesize(req(), live())).rejects.toMatchObject({
      kind: "provider_transient",
      message: expect.stringContaining("HTTP 502"),
    });
    expect(fake.stats.requests).toBe(3);
  });

  it("a refused key is provider_auth, tried once", async () => {
    const { engine, fake } = await setup({}, {}, "wrong-key");
    await expect(engine.synthesize(req(), live())).rejects.toMatchObject({
      kind: "provider_auth",
      message: expect.stringContaining("401"),
    });
    expect(fake.stats.requests).toBe(1);
  });

  it("a 400 from the server is provider_permanent, tried once", async () => {
    const { engine, fake } = await setup({ failures: [{ status: 400, message: "Input too long" }] });
    await expect(engine.synthesize(req(), live())).rejects.toMatchObject({
      kind: "provider_permanent",
      message: expect.stringContaining("Input too long"),
    });
    expect(fake.stats.requests).toBe(1);
  });

  it("holds at most 4 requests in flight, across engines built for the same server", async () => {
    const { engine, fake, config } = await setup({ latencyMs: 80 });
    const other = createTtsEngine("openai", config, silentLogger);
    expect(engine.concurrency).toBe(4);
    const all = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? engine : other).synthesize(req({ text: `Turn ${i}` }), live())),
    );
    expect(all).toHaveLength(12);
    expect(fake.stats.synthesized).toBe(12);
    expect(fake.stats.maxInFlight).toBe(4);
  });

  it("cancels a request in flight when the job's signal aborts", async () => {
    const { engine, fake } = await setup({ latencyMs: 5000 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    await expect(engine.synthesize(req(), ac.signal)).rejects.toMatchObject({ kind: "canceled" });
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.stats.inFlight).toBe(0);
    expect(fake.stats.requests).toBe(1);
  });

  it("a compatible server's voice list (Kokoro) rejects unknown voices before any synthesis", async () => {
    const { engine, fake, server } = await setup({ voices: ["af_bella", "af_sky", "am_adam"] });
    await expect(engine.checkVoice("af_bella", "kokoro")).resolves.toBeUndefined();
    await expect(engine.checkVoice("af_bella+af_sky(0.3)", "kokoro")).resolves.toBeUndefined();
    await expect(engine.checkVoice("onyx", "kokoro")).rejects.toMatchObject({
      kind: "invalid_input",
      field: "voice_id",
      message: expect.stringContaining("af_bella"),
    });
    expect(fake.stats.requests).toBe(0);
    // The list is fetched once per process and server.
    expect(server.requests.filter((r) => r.path.endsWith("/audio/voices"))).toHaveLength(1);
  });

  it("a compatible server without a voice list accepts any voice id", async () => {
    const { engine } = await setup();
    await expect(engine.checkVoice("my-local-voice", "some-model")).resolves.toBeUndefined();
  });

  it("api.openai.com: unknown voice or model and a missing key are caught without a request", async () => {
    const official = new OpenAiTtsEngine({ apiKey: "sk-test", baseUrl: undefined }, silentLogger);
    await expect(official.checkVoice("coral", "gpt-4o-mini-tts")).resolves.toBeUndefined();
    await expect(official.checkVoice("coral", "gpt-4o-mini-tts-2025-12-15")).resolves.toBeUndefined();
    await expect(official.checkVoice("af_bella", "tts-1")).rejects.toMatchObject({
      kind: "invalid_input",
      field: "voice_id",
    });
    await expect(official.checkVoice("alloy", "tts-3")).rejects.toMatchObject({
      kind: "invalid_input",
      field: "tts_model",
    });
    const keyless = new OpenAiTtsEngine({ apiKey: undefined, baseUrl: undefined }, silentLogger);
    await expect(keyless.checkVoice("alloy", "tts-1")).rejects.toMatchObject({
      kind: "provider_auth",
      message: expect.stringContaining("OPENAI_API_KEY"),
    });
  });

  it("a speed out of range is invalid_input, never sent", async () => {
    const { engine, fake } = await setup();
    await expect(engine.synthesize(req({ settings: { speed: 5 } }), live())).rejects.toMatchObject({
      kind: "invalid_input",
      field: "settings.speed",
    });
    expect(fake.stats.requests).toBe(0);
  });
});
