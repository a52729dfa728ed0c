import { z } from "zod";
import { defineTool } from "./define.js";
import { EpisodeProfileOut, SpeakerProfileOut } from "./schemas.js";

export const listProfiles = defineTool({
  name: "list_profiles",
  title: "List episode and speaker profiles",
  description:
    "Episode profiles (format, language, number of segments, which speakers, which models) and speaker profiles (1-4 voices with personalities). " +
    "Pass an episode profile's name to generate_podcast.",
  // A tool without parameters has an empty `properties`, which Gemini 1.5/2.0 refuse ("should be
  // non-empty for OBJECT type"); asking for one kind keeps the answer short.
  input: z
    .object({
      kind: z
        .enum(["episode", "speaker"])
        .optional()
        .describe("Only this kind; the other list comes back empty. Default: both"),
    })
    .strict(),
  output: z.object({ episode_profiles: z.array(EpisodeProfileOut), speaker_profiles: z.array(SpeakerProfileOut) }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  run: async ({ kind }, { podcasts }) => {
    const all = await podcasts.listProfiles();
    return {
      episode_profiles: kind === "speaker" ? [] : all.episode_profiles,
      speaker_profiles: kind === "episode" ? [] : all.speaker_profiles,
    };
  },
});
