// Input and output shapes shared by several tools. Ids are checked here for shape (so the error
// names the field); the services check them again and never build a query from them by hand.
import { z } from "zod";

const idPart = "[A-Za-z0-9_]{1,64}";
export const JobId = z.string().regex(new RegExp(`^command:${idPart}$`), "must be a job id like command:abc123, as returned by generate_podcast");
export const EpisodeId = z.string().regex(new RegExp(`^(episode:)?${idPart}$`), "must be an episode id like episode:abc123, as returned by generate_podcast");
export const NotebookId = z.string().regex(new RegExp(`^(notebook:)?${idPart}$`), "must be a notebook id like notebook:abc123, as returned by create_notebook");
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
