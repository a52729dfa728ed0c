// The menu of tools, in the order an agent meets them.
import type { ToolDef } from "./define.js";
import { generatePodcast } from "./generate-podcast.js";
import { getScriptBrief } from "./get-script-brief.js";
import { getJobStatus } from "./get-job-status.js";
import { cancelJob } from "./cancel-job.js";
import { retryEpisode } from "./retry-episode.js";
import { listEpisodes } from "./list-episodes.js";
import { getEpisode } from "./get-episode.js";
import { deleteEpisode } from "./delete-episode.js";
import { listProfiles } from "./list-profiles.js";
import { saveEpisodeProfile } from "./save-episode-profile.js";
import { saveSpeakerProfile } from "./save-speaker-profile.js";
import { createNotebook } from "./create-notebook.js";
import { addSource } from "./add-source.js";
import { listNotebooks } from "./list-notebooks.js";

export const TOOLS: ToolDef[] = [
  generatePodcast,
  getScriptBrief,
  getJobStatus,
  cancelJob,
  retryEpisode,
  listEpisodes,
  getEpisode,
  deleteEpisode,
  listProfiles,
  saveEpisodeProfile,
  saveSpeakerProfile,
  createNotebook,
  addSource,
  listNotebooks,
] as unknown as ToolDef[];
