import { z } from "zod";
import { defineTool } from "./define.js";

export const listProfiles = defineTool({
  name: "list_profiles",
  title: "List episode and speaker profiles",
  description:
    "Episode profiles (format, language, number of segments, which speakers, which models) and speaker profiles (1-4 voices with personalities). " +
    "Pass an episode profile's name to generate_podcast.",
  input: z.object({}).strict(),
  output: z.object({ episode_profiles: z.array(z.object({ name: z.string() }).passthrough()), speaker_profiles: z.array(z.object({ name: z.string() }).passthrough()) }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  run: (_args, { podcasts }) => podcasts.listProfiles(),
});
