import { defineTool } from "./define.js";
import { SpeakerProfileOut } from "./schemas.js";
import { SpeakerProfileInput } from "../podcasts/validation.js";

export const saveSpeakerProfile = defineTool({
  name: "save_speaker_profile",
  title: "Save a speaker profile",
  description:
    "Create a speaker profile, or replace the existing profile of the same name (all its speakers are overwritten): " +
    "TTS provider (auto, openai, elevenlabs, builtin) and model, and 1-4 speakers, each with a unique name, " +
    "a voice id that exists for the provider (builtin: slt, rms, awb), a backstory and a personality. " +
    "Voices are checked with their provider before saving.",
  input: SpeakerProfileInput,
  output: SpeakerProfileOut,
  // Destructive: saving under an existing name overwrites that profile. Open world: the voice
  // check asks the speech provider (OpenAI, ElevenLabs) which voices exist.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  run: (args, { podcasts }) => podcasts.saveSpeakerProfile(args),
});
