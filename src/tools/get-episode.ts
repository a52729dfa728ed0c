import { z } from "zod";
import { defineTool } from "./define.js";
import { PLAYER_TOOL_META } from "../player/meta.js";
import { EpisodeId, JobStatusValue, Progress, SpeakerProfileOut, openObject } from "./schemas.js";

// The same record as the podcast://episodes/{id} resource, for clients that only call tools.
export const getEpisode = defineTool({
  name: "get_episode",
  title: "Get a podcast episode",
  description:
    "One episode: name, status, audio_file (absolute path of the MP3), duration in seconds, chapters with start times, the outline and the timed transcript " +
    "(turns with speaker, text, start, end). With include_transcript false the turns and the source text " +
    "are left out, for a short answer.",
  input: z
    .object({ episode_id: EpisodeId, include_transcript: z.boolean().optional().describe("Default: true") })
    .strict(),
  output: openObject({
    id: z.string(),
    name: z.string(),
    status: JobStatusValue,
    job_id: z.string().nullable(),
    progress: Progress,
    error: z.string().nullable(),
    audio_file: z.string().nullable().describe("Absolute path of the MP3 on this machine; null until it is made"),
    duration: z.number().optional().describe("Seconds, once the audio is made"),
    chapters: z.array(openObject({ title: z.string(), start: z.number(), end: z.number() })).optional(),
    transcript: z
      .array(openObject({ speaker: z.string(), text: z.string(), start: z.number(), end: z.number() }))
      .optional()
      .describe("Left out with include_transcript false"),
    language: z.string(),
    episode_profile: openObject({ name: z.string() }).describe("The episode profile as it was at submission"),
    speaker_profile: SpeakerProfileOut.describe("The speaker profile as it was at submission"),
    checkpoints: z.array(z.string()).describe("Stages already done, reused by retry_episode"),
    created: z.string(),
    updated: z.string(),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  _meta: PLAYER_TOOL_META,
  run: async ({ episode_id, include_transcript }, { podcasts }) => {
    const ep = await podcasts.getEpisode(episode_id);
    if (include_transcript === false) {
      const {
        transcript: _omit,
        content: _content,
        ...rest
      } = ep as typeof ep & { transcript?: unknown; content?: unknown };
      return rest;
    }
    return ep;
  },
});
