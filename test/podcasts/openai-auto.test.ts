// Provider "auto" with OpenAI configured: the seeded profiles (built-in voice ids) are checked and
// spoken with the mapped OpenAI voices, through the real OpenAI SDK against loopback fakes that
// speak the real wire format. The episode keeps the profile as submitted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log.js";
import { createEpisodeRunner } from "../../src/maker/run-episode.js";
import { openAiChatFake, type ChatHandler } from "../fakes/openai-chat.js";
import { fakeOpenAiSpeech } from "../fakes/openai-speech.js";
import { startFakeServer, type FakeServer } from "../fakes/server.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import { setup, type Setup } from "./support.js";

let s: Setup;
let server: FakeServer;
let chat: ChatHandler;
const speech = fakeOpenAiSpeech({ apiKey: "test-key" });
beforeAll(async () => {
  chat = openAiChatFake({ apiKey: "test-key" });
  server = await startFakeServer(chat, speech.handler);
  s = await setup(tmpDataDir(), "mem://", { OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: `${server.url}/v1` });
});
afterAll(async () => {
  await server.close();
  await s.db.close();
  await stopAll();
});

describe("auto → OpenAI", () => {
  it("writes with the chat model and speaks the seeded speakers with the mapped OpenAI voices", async () => {
    const sub = await s.service.submitEpisode({
      episode_profile: "tech_discussion",
      episode_name: "Compilers",
      content:
        "A compiler turns source code into machine code. It parses, checks types, optimises and emits instructions.",
    });
    const result = await createEpisodeRunner({ db: s.db, config: s.config, log: silentLogger }).run(sub.episode_id, {
      signal: new AbortController().signal,
      log: silentLogger,
      progress: () => {},
    });
    expect(result.duration).toBeGreaterThan(1);
    // 1 outline + one request per segment (4 in tech_discussion).
    expect(chat.bodies.length).toBe(5);
    expect(chat.bodies.every((b) => b.model === "gpt-4o-mini")).toBe(true);
    const voices = new Set(
      server.requests
        .filter((r) => r.path.endsWith("/audio/speech"))
        .map((r) => (JSON.parse(r.body) as { voice: string }).voice),
    );
    expect([...voices].sort()).toEqual(["nova", "onyx"]); // Sam: slt → nova, Alex: rms → onyx
    expect(speech.stats.synthesized).toBeGreaterThan(0);

    const ep = await s.service.getEpisode(sub.episode_id);
    // Run here without the queue, so the job itself is still pending; the episode has its audio.
    expect(ep.audio_file).toMatch(/audio\.mp3$/);
    expect(ep.duration).toBeCloseTo(result.duration, 6);
    expect(ep.speaker_profile.speakers.map((x) => x.voice_id)).toEqual(["rms", "slt"]);
  });
});
