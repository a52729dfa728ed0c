// What the frame shows, from the tool result it was opened with: a job to follow (generate_podcast,
// retry_episode, or get_episode of an unfinished episode), a failure with Retry, or the player.
import type { Host } from "./host.js";
import { loadAudio } from "./audio-source.js";
import { setStatus } from "./dom.js";
import { toEpisodeView } from "./episode.js";
import { followJob, type Following } from "./follow-job.js";
import { showFailure, showJob, showProgress } from "./job-view.js";
import { showPlayer } from "./player-view.js";

export interface Controller {
  /** The structuredContent of generate_podcast or get_episode. */
  open(result: Record<string, unknown>): void;
  /** A resource changed (where the host forwards updates): read the job's status now. */
  resourceUpdated(uri: string): void;
  stop(): void;
}

const UNFINISHED = new Set(["submitted", "pending", "running"]);

export function createController(
  host: Host,
  download: (fileName: string, base64: string) => Promise<void>,
): Controller {
  const stopped = new AbortController();
  let following: { jobId: string; f: Following } | undefined;
  let closePlayer: (() => void) | undefined;

  function follow(jobId: string, episodeId: string): void {
    if (!host.canCallTools()) {
      setStatus(
        "This host does not let the player follow the job. Ask for get_job_status, then get_episode when it is done.",
      );
      return;
    }
    setStatus("");
    showJob();
    showProgress(0, undefined, "pending", "");
    const f = followJob(host, jobId, (s) => showProgress(s.fraction, s.stage, s.status, s.message), stopped.signal);
    following = { jobId, f };
    f.done.then(
      (s) => {
        if (s.status === "completed") return openEpisode(episodeId);
        showFailure(s.error ?? `The job was ${s.status}.`, () => retry(episodeId));
      },
      (err: unknown) => !stopped.signal.aborted && showFailure(`Lost track of the job: ${errorText(err)}`),
    );
  }

  function retry(episodeId: string): void {
    host.callTool("retry_episode", { episode_id: episodeId }).then(
      (r) => follow(String(r.job_id), episodeId),
      (err: unknown) => showFailure(errorText(err), () => retry(episodeId)),
    );
  }

  async function openEpisode(episodeId: string): Promise<void> {
    try {
      if (!host.canReadResources()) {
        setStatus("This host does not let the player read the episode. Its audio file is named in the tool result.");
        return;
      }
      setStatus("Loading the episode…");
      const view = toEpisodeView(await host.readJson(`podcast://episodes/${episodeId}`));
      const audio = await loadAudio(
        host,
        episodeId,
        (done, total) => setStatus(total > 1 ? `Loading the audio: part ${done} of ${total}…` : "Loading audio…"),
        stopped.signal,
      );
      closePlayer?.();
      closePlayer = showPlayer(
        view,
        audio.dataUrl,
        host.canDownload() ? { download: (name) => download(name, audio.base64) } : {},
      );
      setStatus("");
    } catch (err) {
      if (!stopped.signal.aborted)
        showFailure(`The episode could not be loaded: ${errorText(err)}`, () => void openEpisode(episodeId));
    }
  }

  return {
    open(result) {
      const episodeId = String(result.episode_id ?? result.id ?? "");
      const jobId = typeof result.job_id === "string" ? result.job_id : undefined;
      const status = String(result.status ?? "");
      if (!episodeId) return setStatus("The tool result names no episode.");
      if (status === "completed") void openEpisode(episodeId);
      else if (jobId && UNFINISHED.has(status)) follow(jobId, episodeId);
      else showFailure(String(result.error ?? `The episode is ${status || "not finished"}.`), () => retry(episodeId));
    },
    resourceUpdated(uri) {
      if (following && uri.endsWith(following.jobId.replace(/^command:/, ""))) following.f.nudge();
    },
    stop() {
      stopped.abort();
      closePlayer?.();
    },
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
