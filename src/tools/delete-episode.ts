import { z } from "zod";
import { defineTool } from "./define.js";
import { EpisodeId } from "./schemas.js";

export const deleteEpisode = defineTool({
  name: "delete_episode",
  title: "Delete a podcast episode",
  description:
    "Delete an episode for good: cancels its job if it still runs, removes its record, audio and transcript files.",
  input: z.object({ episode_id: EpisodeId }).strict(),
  output: z.object({ episode_id: z.string(), deleted: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  run: ({ episode_id }, { podcasts }) => podcasts.deleteEpisode(episode_id),
});
