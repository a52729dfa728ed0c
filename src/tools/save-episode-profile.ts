import { defineTool } from "./define.js";
import { EpisodeProfileOut } from "./schemas.js";
import { EpisodeProfileInput } from "../podcasts/validation.js";

export const saveEpisodeProfile = defineTool({
  name: "save_episode_profile",
  title: "Save an episode profile",
  description:
    "Create an episode profile, or replace the existing profile of the same name (all its settings are overwritten): " +
    "its speaker profile, outline and transcript models (provider auto, openai or builtin), language, " +
    "default briefing and number of segments (3-20). Episodes already submitted keep the copy they were made with.",
  input: EpisodeProfileInput,
  output: EpisodeProfileOut,
  // Destructive: saving under an existing name overwrites that profile. Idempotent: the same
  // arguments again leave the same profile.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  run: (args, { podcasts }) => podcasts.saveEpisodeProfile(args),
});
