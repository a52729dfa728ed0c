// Choosing a provider, building engines from config, and the speech cache key.
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log.js";
import { speechCacheKey, speechRequestKey } from "../../src/providers/tts/cache-key.js";
import { createTtsEngine, resolveTtsProvider } from "../../src/providers/tts/registry.js";

const cfg = (tts: { apiKey?: string; baseUrl?: string } = {}) => ({
  tts: { apiKey: tts.apiKey, baseUrl: tts.baseUrl, model: undefined },
  elevenlabs: { apiKey: undefined, baseUrl: undefined },
});

describe("resolveTtsProvider", () => {
  it("auto picks OpenAI when a key or a compatible base URL is set, else the built-in voices", () => {
    expect(resolveTtsProvider("auto", cfg())).toBe("builtin");
    expect(resolveTtsProvider("auto", cfg({ apiKey: "sk-x" }))).toBe("openai");
    expect(resolveTtsProvider("auto", cfg({ baseUrl: "http://127.0.0.1:8880/v1" }))).toBe("openai");
    expect(resolveTtsProvider("elevenlabs", cfg())).toBe("elevenlabs");
    expect(resolveTtsProvider("builtin", cfg({ apiKey: "sk-x" }))).toBe("builtin");
  });
});

describe("createTtsEngine", () => {
  it("builds each provider with its concurrency, and the built-in one speaks offline", async () => {
    expect(createTtsEngine("openai", cfg({ apiKey: "sk-x" }), silentLogger)).toMatchObject({
      provider: "openai",
      concurrency: 4,
    });
    expect(createTtsEngine("elevenlabs", cfg(), silentLogger)).toMatchObject({
      provider: "elevenlabs",
      concurrency: 2,
    });
    const builtin = createTtsEngine("builtin", cfg(), silentLogger);
    expect(builtin.provider).toBe("builtin");
    expect(builtin.concurrency).toBeGreaterThanOrEqual(1);
    expect(builtin.concurrency).toBeLessThanOrEqual(2);
    await expect(builtin.checkVoice("nova", "flite")).rejects.toMatchObject({ kind: "invalid_input" });
    const pcm = await builtin.synthesize(
      { text: "Offline and ready.", voice: "awb", model: "flite", language: "en" },
      new AbortController().signal,
    );
    expect(pcm.samples.length / pcm.sampleRate).toBeGreaterThan(0.5);
  });
});

describe("speechCacheKey", () => {
  const base = ["openai", "tts-1", "alloy", { speed: 1 }, "Hello there.", "en"] as const;
  const key = (...overrides: Partial<Record<number, unknown>>[]) => {
    const args = [...base] as unknown[];
    for (const o of overrides) for (const [i, v] of Object.entries(o)) args[Number(i)] = v;
    return (speechCacheKey as (...a: unknown[]) => string)(...args);
  };

  it("is a stable sha256 that changes with every input that changes the audio", () => {
    const k = key();
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(key()).toBe(k);
    const variants = [
      { 0: "elevenlabs" },
      { 1: "tts-1-hd" },
      { 2: "nova" },
      { 3: { speed: 1.1 } },
      { 4: "Hello there!" },
      { 5: "fr" },
      { 3: { speed: 1, instructions: "calm" } },
    ];
    const keys = new Set(variants.map((v) => key(v)));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(k)).toBe(false);
  });

  it("does not depend on key order, undefined members, language case or where the language is given", () => {
    const k = key();
    expect(
      speechCacheKey("openai", "tts-1", "alloy", { instructions: undefined, speed: 1 }, "Hello there.", "EN"),
    ).toBe(k);
    expect(speechCacheKey("openai", "tts-1", "alloy", { speed: 1, language: "en" }, "Hello there.")).toBe(k);
    expect(
      speechRequestKey("openai", {
        model: "tts-1",
        voice: "alloy",
        settings: { speed: 1 },
        text: "Hello there.",
        language: "en",
      }),
    ).toBe(k);
    expect(speechCacheKey("builtin", "flite", "slt", undefined, "x", "en")).toBe(
      speechCacheKey("builtin", "flite", "slt", {}, "x", "en"),
    );
  });
});
