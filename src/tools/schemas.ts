// Input and output shapes shared by several tools. Ids are checked here for shape (so the error
// names the field); the services check them again and never build a query from them by hand.
import { z } from "zod";
import { recordIdPattern } from "../db/record-key.js";

export const JobId = z.string().regex(recordIdPattern("command"), "must be a job id like command:abc123, as returned by generate_podcast");
export const EpisodeId = z.string().regex(recordIdPattern("episode", true), "must be an episode id like episode:abc123, as returned by generate_podcast");
export const NotebookId = z.string().regex(recordIdPattern("notebook", true), "must be a notebook id like notebook:abc123, as returned by create_notebook");
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
