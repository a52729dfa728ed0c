// The providers a run needs, built from the config once and reused: script writers per
// (provider, model) and one TTS engine per provider (each engine carries its provider's
// concurrency limit, so sharing it is what keeps the limit per process). The MCP server uses the
// same engines only to check voices before it accepts a profile or an episode.
import type { Config } from "../config.js";
import type { ConcreteTtsProvider, LlmProviderName, TtsProviderName } from "../core/enums.js";
import type { Logger } from "../log.js";
import type { PipelineDeps } from "../pipeline/run.js";
import { checkVoiceMap, resolveVoices } from "./voices.js";
import { createTtsEngine, resolveTtsProvider } from "./tts/registry.js";
import type { ScriptWriter, SpeakerProfile, TtsEngine } from "../core/model.js";
import { createWriter } from "./writer/registry.js";
import { voicesForRun } from "./voice-map.js";

export type Providers = Pick<PipelineDeps, "writer" | "tts" | "resolveTts" | "defaultModel">;

export function createProviders(config: Config, log: Logger): Providers {
  const writers = new Map<string, ScriptWriter>();
  const engines = new Map<ConcreteTtsProvider, TtsEngine>();
  return {
    writer(provider: LlmProviderName, model: string) {
      const key = `${provider}\u0000${model}`;
      const w = writers.get(key) ?? createWriter(provider, model, config, log);
      writers.set(key, w);
      return w;
    },
    tts(provider: ConcreteTtsProvider) {
      const e = engines.get(provider) ?? createTtsEngine(provider, config, log);
      engines.set(provider, e);
      return e;
    },
    resolveTts: (name: TtsProviderName) => resolveTtsProvider(name, config),
    defaultModel: (provider: ConcreteTtsProvider) => (provider === "openai" ? config.tts.model : undefined),
  };
}

/**
 * The profile as it will be spoken with this config (voices mapped for what "auto" means now),
 * after checking that every voice exists for its provider; invalid_input naming the speaker's
 * field otherwise.
 */
export function createVoiceCheck(
  config: Config,
  providers: Providers,
): (profile: SpeakerProfile) => Promise<SpeakerProfile> {
  return async (profile) => {
    const run = voicesForRun(profile, config);
    await checkVoiceMap(resolveVoices(run, providers));
    return run;
  };
}
