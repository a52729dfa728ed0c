// Text-to-speech providers: what the speech stage imports.
export { createTtsEngine, resolveTtsProvider, type ConcreteTtsProvider } from "./registry.js";
export { speechCacheKey, speechRequestKey } from "./cache-key.js";
export type { ResilienceOptions } from "./resilient.js";
export { BUILTIN_VOICES } from "./builtin.js";
export { OPENAI_VOICES, OPENAI_TTS_MODELS } from "./openai.js";
