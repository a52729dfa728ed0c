// The writer and the voices on two different servers (a common local setup: Ollama for the script,
// Kokoro-FastAPI for the voices): LLM_* and TTS_* name each endpoint, with no OPENAI_* at all. Both
// fakes speak the real wire formats, reached through the real OpenAI SDK; each sees only its role.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log.js";
import { createEpisodeRunner } from "../../src/maker/run-episode.js";
import { openAiChatFake, type ChatHandler } from "../fakes/openai-chat.js";
import { fakeOpenAiSpeech } from "../fakes/openai-speech.js";
import { startFakeServer, type FakeServer } from "../fakes/server.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import { setup, type Setup } from "./support.js";

let s: Setup;
let llm: FakeServer;
let voices: FakeServer;
let chat: ChatHandler;
const speech = fakeOpenAiSpeech({ apiKey: "tts-key" });
beforeAll(async () => {
  chat = openAiChatFake({ apiKey: "llm-key" });
  llm = await startFakeServer(chat);
  voices = await startFakeServer(speech.handler);
  s = await setup(tmpDataDir(), "mem://", {
    LLM_BASE_URL: `${llm.url}/v1`,
    LLM_API_KEY: "llm-key",
    LLM_MODEL: "llama3.2",
    TTS_BASE_URL: `${voices.url}/v1`,
    TTS_API_KEY: "tts-key",
    TTS_MODEL: "kokoro",
  });
});
afterAll(async () => {
  await llm.close();
  await voices.close();
  await s.db.close();
  await stopAll();
});

describe("separate writer and speech endpoints", () => {
  it("writes on one server and speaks on the other in one episode, with each endpoint's model", async () => {
    const sub = await s.service.submitEpisode({
      episode_profile: "tech_discussion",
      content: "Lighthouses warn ships. Each has its own flash pattern.",
    });
    const result = await createEpisodeRunner({ db: s.db, config: s.config, log: silentLogger }).run(sub.episode_id, {
      signal: new AbortController().signal,
      log: silentLogger,
      progress: () => {},
    });
    expect(result.duration).toBeGreaterThan(1);
    // The writer's server got the chat requests, with LLM_MODEL for the seeded profile's empty model.
    expect(chat.bodies.length).toBeGreaterThan(1);
    expect(chat.bodies.every((b) => b.model === "llama3.2")).toBe(true);
    expect(llm.requests.every((r) => r.path.endsWith("/chat/completions"))).toBe(true);
    // The voices' server got every speech request, with TTS_MODEL, and no chat request.
    const spoken = voices.requests.filter((r) => r.path.endsWith("/audio/speech"));
    expect(spoken.length).toBeGreaterThan(0);
    expect(spoken.every((r) => (JSON.parse(r.body) as { model: string }).model === "kokoro")).toBe(true);
    expect(voices.requests.some((r) => r.path.endsWith("/chat/completions"))).toBe(false);
    expect(speech.stats.synthesized).toBe(spoken.length);
  });
});
