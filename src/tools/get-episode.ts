import { z } from "zod";
import { defineTool } from "./define.js";
import { PLAYER_TOOL_META } from "../player/meta.js";
import { EpisodeId } from "./schemas.js";

// The same record as the podcast://episodes/{id} resource, for clients that only call tools.
export const getEpisode = defineTool({
  name: "get_episode",
  title: "Get a podcast episode",
  description:
    "One episode: name, status, audio_file (absolute path of the MP3), duration in seconds, chapters with start times, the outline and the timed transcript " +
    "(turns with speaker, text, start, end). With include_transcript false the turns are left out, for a short answer.",
  input: z.object({ episode_id: EpisodeId, include_transcript: z.boolean().optional().describe("default true") }).strict(),
  output: z.object({ id: z.string(), name: z.string(), status: z.string(), audio_file: z.string().nullable() }).passthrough(),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  _meta: PLAYER_TOOL_META,
  run: async ({ episode_id, include_transcript }, { podcasts }) => {
    const ep = await podcasts.getEpisode(episode_id);
    if (include_transcript === false) {
      const { transcript: _omit, content: _content, ...rest } = ep as typeof ep & { transcript?: unknown; content?: unknown };
      return rest;
    }
    return ep;
  },
});
