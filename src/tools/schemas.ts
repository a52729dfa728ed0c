// Input and output shapes shared by several tools. Ids are checked here for shape (so the error
// names the field); the services check them again and never build a query from them by hand.
// Outputs say what each field is: clients validate structuredContent against them, and a field
// typed as nothing (`{}`) reads as "any" in clients that show the schema.
import { z } from "zod";
import { JOB_STATUSES } from "../core/enums.js";
import { idRule, recordIdPattern } from "../core/ids.js";

export const JobId = z
  .string()
  .regex(recordIdPattern("command"), idRule("command"))
  .describe("As returned by generate_podcast, e.g. command:abc123");
export const EpisodeId = z
  .string()
  .regex(recordIdPattern("episode", true), idRule("episode"))
  .describe("As returned by generate_podcast, e.g. episode:abc123");
export const NotebookId = z
  .string()
  .regex(recordIdPattern("notebook", true), idRule("notebook"))
  .describe("As returned by create_notebook, e.g. notebook:abc123");
export const JobStatusValue = z.enum(JOB_STATUSES);
export const Progress = z
  .object({ fraction: z.number().describe("0 to 1"), stage: z.string(), message: z.string() })
  .nullable()
  .describe("Null before the job starts");

/** An object whose fields are listed, and which may carry more (later versions add fields). */
export const openObject = <T extends z.ZodRawShape>(shape: T) => z.object(shape).catchall(z.unknown());

/** What a finished podcast job returned (other job kinds return their own fields). */
const JobResult = openObject({
  episode_id: z.string().optional(),
  audio_file: z.string().nullable().optional().describe("Absolute path of the MP3 on the server's machine"),
  duration: z.number().optional().describe("Seconds"),
})
  .nullable()
  .describe("Null until the job completes");

export const JobStatus = z.object({
  job_id: z.string(),
  name: z.string().describe("The kind of job: generate_podcast"),
  status: JobStatusValue,
  result: JobResult,
  error_message: z.string().nullable(),
  created: z.string(),
  updated: z.string(),
  progress: Progress,
  attempts: z.number().int().min(0),
  max_attempts: z.number().int().min(0),
  lease_until: z.string().nullable().describe("While running: when the worker's claim runs out unless renewed"),
  episode_id: z.string().nullable(),
});

/** What generate_podcast and retry_episode answer. */
export const Submitted = z.object({
  job_id: z.string(),
  episode_id: z.string(),
  status: z.literal("submitted"),
  message: z.string(),
  episode_profile: z.string(),
  episode_name: z.string(),
});

const SpeakerOut = openObject({
  name: z.string(),
  voice_id: z.string(),
  backstory: z.string(),
  personality: z.string(),
});

export const SpeakerProfileOut = openObject({
  name: z.string(),
  description: z.string(),
  tts_provider: z.string(),
  tts_model: z.string(),
  speakers: z.array(SpeakerOut),
});

export const EpisodeProfileOut = openObject({
  name: z.string(),
  description: z.string(),
  speaker_profile: z.string(),
  outline_provider: z.string(),
  transcript_provider: z.string(),
  language: z.string(),
  num_segments: z.number().int(),
});

export const NotebookOut = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  source_count: z.number().int().min(0),
  created: z.string(),
  updated: z.string(),
});
