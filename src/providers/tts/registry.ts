// Picks and builds the speech engine for a speaker. Every engine comes wrapped with the
// per-provider concurrency limit, timeouts and retries (resilient.ts).
import { isConfigured, type Config } from "../../config.js";
import type { Logger } from "../../log.js";
import type { ConcreteTtsProvider, TtsProviderName } from "../../core/enums.js";
import type { TtsEngine } from "../../core/model.js";
import { BuiltinTtsEngine } from "./builtin.js";
import { ElevenLabsTtsEngine } from "./elevenlabs.js";
import { OpenAiTtsEngine } from "./openai.js";
import { ResilientTtsEngine, type ResilienceOptions } from "./resilient.js";

/**
 * "auto" → the OpenAI-compatible speech endpoint when one is configured (TTS_API_KEY or
 * TTS_BASE_URL, else OPENAI_API_KEY or OPENAI_BASE_URL; a server such as Kokoro-FastAPI needs no
 * key), else the built-in offline voices. ElevenLabs is only ever chosen by name.
 */
export function resolveTtsProvider(name: TtsProviderName, config: Pick<Config, "tts">): ConcreteTtsProvider {
  if (name !== "auto") return name;
  return isConfigured(config.tts) ? "openai" : "builtin";
}

/**
 * A ready engine. Limits are per provider (and endpoint) and process, shared by all engines built
 * here: OpenAI 4, ElevenLabs 2, built-in 1–2 (see each engine's `concurrency` for why).
 */
export function createTtsEngine(
  provider: ConcreteTtsProvider,
  config: Pick<Config, "tts" | "elevenlabs">,
  log: Logger,
  opts: ResilienceOptions = {},
): TtsEngine {
  const child = log.child({ tts: provider });
  switch (provider) {
    case "openai":
      return new ResilientTtsEngine(
        new OpenAiTtsEngine(config.tts, child),
        `openai ${config.tts.baseUrl ?? ""}`,
        child,
        opts,
      );
    case "elevenlabs":
      return new ResilientTtsEngine(
        new ElevenLabsTtsEngine(config.elevenlabs, child),
        `elevenlabs ${config.elevenlabs.baseUrl ?? ""}`,
        child,
        opts,
      );
    case "builtin":
      // Flite runs locally and cannot rate-limit or time out like a server; one attempt, generous timeout.
      return new ResilientTtsEngine(new BuiltinTtsEngine(child), "builtin", child, {
        attempts: 1,
        timeoutMs: 120_000,
        ...opts,
      });
  }
}
