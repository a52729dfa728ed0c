// Input and output shapes shared by several tools. Ids are checked here for shape (so the error
// names the field); the services check them again and never build a query from them by hand.
import { z } from "zod";

const idPart = "[A-Za-z0-9_]{1,64}";
export const JobId = z.string().regex(new RegExp(`^command:${idPart}$`), "must be a job id like command:abc123, as returned by generate_podcast");
export const EpisodeId = z.string().regex(new RegExp(`^(episode:)?${idPart}$`), "must be an episode id like episode:abc123, as returned by generate_podcast");
export const NotebookId = z.string().regex(new RegExp(`^(notebook:)?${idPart}$`), "must be a notebook id like notebook:abc123, as returned by create_notebook");
export const ProfileName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -");
export const Language = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a BCP 47 language tag such as en, en-US or de");

export const JobStatusValue = z.enum(["pending", "running", "completed", "failed", "canceled"]);
export const Progress = z.object({ fraction: z.number(), stage: z.string(), message: z.string() }).nullable();

export const JobStatus = z.object({
  job_id: z.string(),
  status: JobStatusValue,
  result: z.unknown(),
  error_message: z.string().nullable(),
  created: z.string(),
  updated: z.string(),
  progress: Progress,
}).passthrough();

export const Source = z.union([
  z.object({ text: z.string().min(1, "must not be empty").max(200_000, "must be at most 200,000 characters"), title: z.string().max(200).optional() }).strict(),
  z.object({ file: z.string().min(1).max(4096), title: z.string().max(200).optional() }).strict(),
  z.object({ url: z.string().url("must be an http(s) URL").regex(/^https?:\/\//i, "must be an http(s) URL"), title: z.string().max(200).optional() }).strict(),
]);

export const ScriptTurn = z.object({
  speaker: z.string().min(1).max(100),
  text: z.string().min(1, "must not be empty").max(5_000, "must be at most 5,000 characters"),
}).strict();
