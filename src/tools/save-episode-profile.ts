import { z } from "zod";
import { defineTool } from "./define.js";
import { EpisodeProfileInput } from "../podcasts/validation.js";

export const saveEpisodeProfile = defineTool({
  name: "save_episode_profile",
  title: "Save an episode profile",
  description:
    "Create or replace an episode profile (by name): its speaker profile, outline and transcript models (provider auto, openai or builtin), language, " +
    "default briefing and number of segments (3-20). Episodes already submitted keep the copy they were made with.",
  input: EpisodeProfileInput,
  output: z.object({ name: z.string() }).passthrough(),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  run: (args, { podcasts }) => podcasts.saveEpisodeProfile(args),
});
