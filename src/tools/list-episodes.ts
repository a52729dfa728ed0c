import { z } from "zod";
import { defineTool } from "./define.js";
import { JobStatusValue } from "./schemas.js";

export const listEpisodes = defineTool({
  name: "list_episodes",
  title: "List podcast episodes",
  description:
    "Episodes, newest first: id, name, status of its job, duration, created. Read podcast://episodes/{id} for one in full.",
  input: z
    .object({
      limit: z.number().int().min(1).max(200).optional().describe("At most this many. Default: 50"),
      status: JobStatusValue.optional().describe("Only episodes whose job has this status"),
    })
    .strict(),
  output: z.object({
    episodes: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        status: JobStatusValue,
        job_id: z.string().nullable(),
        episode_profile: z.string(),
        duration: z.number().nullable().describe("Seconds; null until the audio is made"),
        error: z.string().nullable(),
        created: z.string(),
        updated: z.string(),
      }),
    ),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  run: async (args, { podcasts }) => ({ episodes: await podcasts.listEpisodes(args) }),
});
