// Which engine, model and voice speaks for each speaker: the speaker's own tts_provider/tts_model
// when set, else the profile's. A speaker who switches provider without naming a model gets that
// provider's default model, because the profile's model belongs to the profile's provider.
import type { ConcreteTtsProvider } from "../core/enums.js";
import { AppError } from "../errors.js";
import type { SpeakerProfile, SpeakerSettings, TtsEngine, TtsProviderName } from "../core/model.js";

export type ResolvedTts = ConcreteTtsProvider;

export const DEFAULT_TTS_MODELS: Record<ResolvedTts, string> = {
  openai: "gpt-4o-mini-tts",
  elevenlabs: "eleven_multilingual_v2",
  builtin: "flite",
};

export interface Voice {
  speaker: string;
  /** Position in the profile's speakers, for error fields. */
  index: number;
  provider: ResolvedTts;
  engine: TtsEngine;
  model: string;
  voice: string;
  settings: SpeakerSettings | undefined;
}

export interface VoiceDeps {
  tts(provider: ResolvedTts): TtsEngine;
  resolveTts(name: TtsProviderName): ResolvedTts;
  /** The model an empty profile model means for this provider (TTS_MODEL for the OpenAI-compatible endpoint). */
  defaultModel?(provider: ResolvedTts): string | undefined;
}

/** Keyed by the speaker's name as the profile spells it. */
export type VoiceMap = Map<string, Voice>;

export function resolveVoices(profile: SpeakerProfile, deps: VoiceDeps): VoiceMap {
  const profileProvider = deps.resolveTts(profile.tts_provider);
  const voices: VoiceMap = new Map();
  for (const [index, s] of profile.speakers.entries()) {
    const provider = s.tts_provider ? deps.resolveTts(s.tts_provider) : profileProvider;
    const fallback = deps.defaultModel?.(provider) || DEFAULT_TTS_MODELS[provider];
    const model = s.tts_model || (provider === profileProvider && profile.tts_model ? profile.tts_model : fallback);
    voices.set(s.name, {
      speaker: s.name,
      index,
      provider,
      engine: deps.tts(provider),
      model,
      voice: s.voice_id,
      settings: s.settings,
    });
  }
  return voices;
}

/** Every speaker's voice exists for its provider: asked once per distinct (provider, model, voice). */
export async function checkVoiceMap(voices: VoiceMap): Promise<void> {
  const seen = new Set<string>();
  for (const v of voices.values()) {
    const key = JSON.stringify([v.provider, v.model, v.voice]);
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      await v.engine.checkVoice(v.voice, v.model);
    } catch (err) {
      // The engine names the voice; the caller also needs to know which speaker's field to fix.
      if (err instanceof AppError && err.kind === "invalid_input") {
        const field = `speakers[${v.index}].voice_id`;
        throw new AppError("invalid_input", `${field}: ${v.speaker}: ${err.message}`, { field, cause: err });
      }
      throw err;
    }
  }
}
