// ElevenLabs speech through the real `@elevenlabs/elevenlabs-js` SDK against a loopback fake.
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log.js";
import { createTtsEngine } from "../../src/providers/tts/registry.js";
import type { ResilienceOptions } from "../../src/providers/tts/resilient.js";
import type { SpeechRequest } from "../../src/core/model.js";
import { fakeElevenLabs, type ElevenLabsFakeOptions } from "../fakes/elevenlabs.js";
import { startFakeServer, type FakeServer } from "../fakes/server.js";
import { medianPitchHz } from "./pitch.js";

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(
  fakeOpts: ElevenLabsFakeOptions = {},
  engineOpts: ResilienceOptions = {},
  apiKey: string | null = "test-key",
) {
  const fake = fakeElevenLabs(fakeOpts);
  const server = await startFakeServer(fake.handler);
  servers.push(server);
  const config = {
    tts: { apiKey: undefined, baseUrl: undefined, model: undefined },
    elevenlabs: { apiKey: apiKey ?? undefined, baseUrl: server.url },
  };
  const engine = createTtsEngine("elevenlabs", config, silentLogger, {
    baseDelayMs: 50,
    maxDelayMs: 200,
    timeoutMs: 5000,
    ...engineOpts,
  });
  return { fake, server, engine, config };
}

const RACHEL = "21m00Tcm4TlvDq8ikWAM";
const GEORGE = "JBFqnCBsd6RMkjVDRZzb";
const live = () => new AbortController().signal;
const TEXT = "Forty characters of text, give or take!!"; // 40 chars → 2.2 s at 55 ms per char
const req = (extra: Partial<SpeechRequest> = {}): SpeechRequest => ({
  text: TEXT,
  voice: RACHEL,
  model: "eleven_multilingual_v2",
  language: "en",
  ...extra,
});
const ttsRequests = (s: FakeServer) => s.requests.filter((r) => r.path.startsWith("/v1/text-to-speech/"));

describe("ElevenLabs speech engine", () => {
  it("returns 24 kHz PCM per voice, with the model, voice settings and output format on the wire", async () => {
    const { engine, server } = await setup();
    const a = await engine.synthesize(req({ settings: { stability: 0.4, style: 0.2, speed: 1.1 } }), live());
    const b = await engine.synthesize(req({ voice: GEORGE }), live());
    expect(a.sampleRate).toBe(24000);
    expect(a.samples.length / 24000).toBeCloseTo(2.2 / 1.1, 2);
    expect(b.samples.length / 24000).toBeCloseTo(2.2, 2);
    // Different voices reached the fake: their tones differ in pitch.
    expect(Math.abs(medianPitchHz(a) - medianPitchHz(b))).toBeGreaterThan(10);
    const [first, second] = ttsRequests(server);
    expect(first!.path).toBe(`/v1/text-to-speech/${RACHEL}?output_format=pcm_24000`);
    expect(first!.headers["xi-api-key"]).toBe("test-key");
    expect(JSON.parse(first!.body)).toEqual({
      text: TEXT,
      model_id: "eleven_multilingual_v2",
      voice_settings: { stability: 0.4, style: 0.2, speed: 1.1 },
    });
    expect(JSON.parse(second!.body)).not.toHaveProperty("voice_settings");
    expect(JSON.parse(second!.body)).not.toHaveProperty("language_code");
    // v2.5 models take the episode's language; others detect it and would refuse the field.
    await engine.synthesize(req({ model: "eleven_flash_v2_5", language: "pt-BR" }), live());
    expect(JSON.parse(ttsRequests(server)[2]!.body)).toMatchObject({
      model_id: "eleven_flash_v2_5",
      language_code: "pt",
    });
  });

  it("cancels a request in flight when the job's signal aborts", async () => {
    const { engine, fake } = await setup({ latencyMs: 5000 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const started = Date.now();
    await expect(engine.synthesize(req(), ac.signal)).rejects.toMatchObject({ kind: "canceled" });
    expect(Date.now() - started).toBeLessThan(2000);
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.stats.inFlight).toBe(0);
  });

  it("checks voices against the account's list, fetched once, before any synthesis", async () => {
    const { engine, fake } = await setup();
    await expect(engine.checkVoice(RACHEL, "eleven_multilingual_v2")).resolves.toBeUndefined();
    await expect(engine.checkVoice(GEORGE, "eleven_turbo_v2_5")).resolves.toBeUndefined();
    await expect(engine.checkVoice("alloy", "eleven_multilingual_v2")).rejects.toMatchObject({
      kind: "invalid_input",
      field: "voice_id",
      message: expect.stringContaining("alloy"),
    });
    expect(fake.voiceListCalls()).toBe(1);
    expect(fake.stats.requests).toBe(0);
  });

  it("retries a 429 no sooner than its Retry-After, and 500s", async () => {
    const { engine, fake } = await setup({ failures: [{ status: 429, retryAfter: "1" }, { status: 500 }] });
    const pcm = await engine.synthesize(req(), live());
    expect(pcm.samples.length).toBeGreaterThan(0);
    expect(fake.stats.requests).toBe(3);
    const [t1, t2] = fake.stats.arrivals;
    expect(t2! - t1!).toBeGreaterThanOrEqual(1000);
  });

  it("gives up on a hung request at the timeout and retries it", async () => {
    const { engine, fake } = await setup({ failures: [{ hang: true }] }, { timeoutMs: 300 });
    const pcm = await engine.synthesize(req(), live());
    expect(pcm.samples.length).toBeGreaterThan(0);
    expect(fake.stats.requests).toBe(2);
    expect(fake.stats.inFlight).toBe(0);
  });

  it("a refused key is provider_auth, tried once; a missing key fails before any request", async () => {
    const { engine, fake } = await setup({}, {}, "wrong-key");
    await expect(engine.synthesize(req(), live())).rejects.toMatchObject({
      kind: "provider_auth",
      message: expect.stringContaining("Invalid API key"),
    });
    expect(fake.stats.requests).toBe(1);
    await expect(engine.checkVoice(RACHEL, "eleven_multilingual_v2")).rejects.toMatchObject({ kind: "provider_auth" });

    const keyless = await setup({}, {}, null);
    await expect(keyless.engine.checkVoice(RACHEL, "x")).rejects.toMatchObject({
      kind: "provider_auth",
      message: expect.stringContaining("ELEVENLABS_API_KEY"),
    });
    expect(keyless.server.requests).toHaveLength(0);
  });

  it("an unknown voice at synthesis is provider_permanent (404), tried once", async () => {
    const { engine, fake } = await setup();
    await expect(engine.synthesize(req({ voice: "nope" }), live())).rejects.toMatchObject({
      kind: "provider_permanent",
      message: expect.stringContaining("404"),
    });
    expect(fake.stats.requests).toBe(1);
  });

  it("holds at most 2 requests in flight", async () => {
    const { engine, fake } = await setup({ latencyMs: 60 });
    expect(engine.concurrency).toBe(2);
    await Promise.all(Array.from({ length: 8 }, (_, i) => engine.synthesize(req({ text: `Line ${i}` }), live())));
    expect(fake.stats.synthesized).toBe(8);
    expect(fake.stats.maxInFlight).toBe(2);
  });

  it("settings out of range are invalid_input, never sent", async () => {
    const { engine, fake } = await setup();
    await expect(engine.synthesize(req({ settings: { speed: 1.5 } }), live())).rejects.toMatchObject({
      kind: "invalid_input",
      field: "settings.speed",
    });
    await expect(engine.synthesize(req({ settings: { stability: 2 } }), live())).rejects.toMatchObject({
      kind: "invalid_input",
      field: "settings.stability",
    });
    expect(fake.stats.requests).toBe(0);
  });
});
