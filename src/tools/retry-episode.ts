import { z } from "zod";
import { defineTool } from "./define.js";
import { EpisodeId, Submitted } from "./schemas.js";

export const retryEpisode = defineTool({
  name: "retry_episode",
  title: "Retry a podcast episode",
  description:
    "Resume a failed or canceled episode (or one whose worker died) as a new job: same content, same briefing, the profiles as they were at the first submission. " +
    "Work already done is reused: the outline, the transcript and every turn already spoken are not made or billed again. " +
    "A completed episode is only re-made with force: true, which replaces its audio and transcript.",
  input: z
    .object({ episode_id: EpisodeId, force: z.boolean().optional().describe("Re-make a completed episode") })
    .strict(),
  output: Submitted,
  // Destructive: the episode is pointed at the new job, and with force its finished audio and
  // transcript are replaced. Open world: the new job calls the script and speech providers.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  run: ({ episode_id, force }, { podcasts }) => podcasts.retryEpisode(episode_id, force ?? false),
});
