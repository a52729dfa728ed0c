import { z } from "zod";
import { defineTool } from "./define.js";
import { JobId, JobStatus } from "./schemas.js";

export const cancelJob = defineTool({
  name: "cancel_job",
  title: "Cancel a podcast job",
  description:
    "Cancel a pending or running podcast job. A pending job is canceled at once; a running one stops within about a second and ends canceled. " +
    "Canceling a finished job changes nothing. The episode can be resumed later with retry_episode.",
  input: z.object({ job_id: JobId }).strict(),
  output: JobStatus,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  run: ({ job_id }, { podcasts }) => podcasts.cancelJob(job_id),
});
