// The providers a run needs, built from the config once and reused: script writers per
// (provider, model) and one TTS engine per provider (each engine carries its provider's
// concurrency limit, so sharing it is what keeps the limit per process).
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import type { PipelineDeps } from "../pipeline/run.js";
import { createTtsEngine, resolveTtsProvider, type ConcreteTtsProvider } from "../pipeline/tts/registry.js";
import type { LlmProviderName, ScriptWriter, TtsEngine, TtsProviderName } from "../pipeline/types.js";
import { createWriter } from "../pipeline/writer/registry.js";

export type Providers = Pick<PipelineDeps, "writer" | "tts" | "resolveTts">;

export function createProviders(config: Config, log: Logger): Providers {
  const writers = new Map<string, ScriptWriter>();
  const engines = new Map<ConcreteTtsProvider, TtsEngine>();
  return {
    writer(provider: LlmProviderName, model: string) {
      const key = `${provider}\u0000${model}`;
      let w = writers.get(key);
      if (!w) writers.set(key, (w = createWriter(provider, model, config, log)));
      return w;
    },
    tts(provider: ConcreteTtsProvider) {
      let e = engines.get(provider);
      if (!e) engines.set(provider, (e = createTtsEngine(provider, config, log)));
      return e;
    },
    resolveTts: (name: TtsProviderName) => resolveTtsProvider(name, config),
  };
}
