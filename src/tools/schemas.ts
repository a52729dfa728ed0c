// Input and output shapes shared by several tools. Ids are checked here for shape (so the error
// names the field); the services check them again and never build a query from them by hand.
import { z } from "zod";
import { JOB_STATUSES } from "../core/enums.js";
import { idRule, recordIdPattern } from "../core/ids.js";

export const JobId = z.string().regex(recordIdPattern("command"), idRule("command"));
export const EpisodeId = z.string().regex(recordIdPattern("episode", true), idRule("episode"));
export const NotebookId = z.string().regex(recordIdPattern("notebook", true), idRule("notebook"));
export const JobStatusValue = z.enum(JOB_STATUSES);
export const Progress = z.object({ fraction: z.number(), stage: z.string(), message: z.string() }).nullable();

export const JobStatus = z
  .object({
    job_id: z.string(),
    status: JobStatusValue,
    result: z.unknown(),
    error_message: z.string().nullable(),
    created: z.string(),
    updated: z.string(),
    progress: Progress,
  })
  .passthrough();
