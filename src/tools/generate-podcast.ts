import { z } from "zod";
import { defineTool } from "./define.js";
import { Language, NotebookId, ProfileName, ScriptTurn, Source } from "./schemas.js";

const Input = z
  .object({
    episode_profile: ProfileName.describe("Episode profile name, e.g. tech_discussion, solo_expert, business_analysis (see list_profiles)"),
    episode_name: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters").describe("Title of the episode"),
    content: z.string().min(1, "must not be empty").max(200_000, "must be at most 200,000 characters").optional().describe("Source text to talk about"),
    notebook_id: NotebookId.optional().describe("Use every source of this notebook as content"),
    sources: z.array(Source).min(1, "must have at least one source").max(20, "must have at most 20 sources").optional().describe("Texts, local files or http(s) URLs"),
    script: z.array(ScriptTurn).min(1, "must have at least one turn").max(2_000, "must have at most 2,000 turns").optional().describe("A ready script: turns are spoken as given, no LLM is used"),
    speaker_profile: ProfileName.optional().describe("Overrides the episode profile's speaker profile"),
    briefing_suffix: z.string().max(4_000, "must be at most 4,000 characters").optional().describe("Extra instructions appended to the profile's briefing"),
    language: Language.optional().describe("BCP 47 tag; defaults to the episode profile's language"),
  })
  .strict()
  .superRefine((v, ctx) => {
    const given = (["content", "notebook_id", "sources", "script"] as const).filter((k) => v[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: "custom",
        path: [given[1] ?? "content"],
        message: `give exactly one of content, notebook_id, sources or script (got ${given.length === 0 ? "none" : given.join(", ")})`,
      });
    }
  });

export const generatePodcast = defineTool({
  name: "generate_podcast",
  title: "Generate a podcast episode",
  description:
    "Start making a multi-speaker podcast episode (MP3 with chapters and a timed transcript) from text, a notebook, sources (texts, files, URLs) or a ready script. " +
    "Returns at once with a job_id and an episode_id; the work runs in the background and takes from seconds to minutes. " +
    "Follow it with get_job_status (wait_seconds lets you wait for a change) or subscribe to podcast://jobs/{job_id}. " +
    "When completed, read podcast://episodes/{episode_id} (and /transcript, /audio). Give exactly one of content, notebook_id, sources or script.",
  input: Input,
  output: z.object({
    job_id: z.string(),
    status: z.literal("submitted"),
    message: z.string(),
    episode_profile: z.string(),
    episode_name: z.string(),
    episode_id: z.string(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  run: (args, { podcasts }) => podcasts.submitEpisode(args),
});
