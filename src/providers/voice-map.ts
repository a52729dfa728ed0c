// Seeded profiles say provider "auto" and use the built-in voices (slt, rms, awb), because they
// must work with no API key. When "auto" resolves to OpenAI at run time those ids mean nothing to
// OpenAI, so they are mapped here, in this one place, to the OpenAI voices closest in character;
// the reverse map lets an "auto" profile written with OpenAI voices still speak offline.
import type { Config } from "../config.js";
import { resolveTtsProvider } from "./tts/registry.js";
import type { SpeakerProfile } from "../core/model.js";

export const BUILTIN_TO_OPENAI_VOICE: Readonly<Record<string, string>> = { slt: "nova", rms: "onyx", awb: "echo" };
export const OPENAI_TO_BUILTIN_VOICE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(BUILTIN_TO_OPENAI_VOICE).map(([b, o]) => [o, b]),
);

/** The profile as it will be spoken with this config: only "auto" speakers change, and only known voices. */
export function voicesForRun(profile: SpeakerProfile, config: Pick<Config, "tts">): SpeakerProfile {
  const speakers = profile.speakers.map((s) => {
    const named = s.tts_provider ?? profile.tts_provider;
    if (named !== "auto") return s;
    const resolved = resolveTtsProvider("auto", config);
    const map = resolved === "openai" ? BUILTIN_TO_OPENAI_VOICE : resolved === "builtin" ? OPENAI_TO_BUILTIN_VOICE : {};
    const voice = map[s.voice_id];
    return voice ? { ...s, voice_id: voice } : s;
  });
  return { ...profile, speakers };
}
