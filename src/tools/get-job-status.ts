import { z } from "zod";
import { isFinished } from "../core/enums.js";
import { defineTool } from "./define.js";
import { JobId, JobStatus } from "./schemas.js";

export const getJobStatus = defineTool({
  name: "get_job_status",
  title: "Podcast job status",
  description:
    "Where a podcast job stands: status (pending, running, completed, failed, canceled), progress (fraction 0-1, stage, message), " +
    "result (with episode_id when completed) or error_message. With wait_seconds (up to 50) the call holds until the status or progress changes " +
    "or the time passes, so you can poll without spinning; progress notifications are sent while it waits when you pass a progressToken.",
  input: z
    .object({
      job_id: JobId,
      wait_seconds: z
        .number()
        .min(0)
        .max(50, "must be at most 50")
        .optional()
        .describe("Hold up to this many seconds for a change"),
    })
    .strict(),
  output: JobStatus,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  run: async ({ job_id, wait_seconds }, { podcasts }, call) => {
    const now = await podcasts.jobStatus(job_id);
    if (!wait_seconds || isFinished(now.status)) return now;
    return podcasts.waitForJobChange(job_id, now, wait_seconds * 1000, call.signal, (s) =>
      call.progress(s.progress?.fraction ?? 0, 1, s.progress ? `${s.progress.stage}: ${s.progress.message}` : s.status),
    );
  },
});
