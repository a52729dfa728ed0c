import { z } from "zod";
import { defineTool } from "./define.js";
import { SpeakerProfileInput } from "../podcasts/validation.js";

export const saveSpeakerProfile = defineTool({
  name: "save_speaker_profile",
  title: "Save a speaker profile",
  description:
    "Create or replace a speaker profile (by name): TTS provider (auto, openai, elevenlabs, builtin) and model, and 1-4 speakers, each with a unique name, " +
    "a voice id that exists for the provider (builtin: slt, rms, awb), a backstory and a personality. Voices are checked before saving.",
  input: SpeakerProfileInput,
  output: z.object({ name: z.string() }).passthrough(),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  run: (args, { podcasts }) => podcasts.saveSpeakerProfile(args),
});
