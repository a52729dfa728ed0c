// While the job runs: its stage, a progress bar and, when it fails, the error and a Retry button.
import { byId } from "./dom.js";
import { clamp } from "./format.js";

const STAGE_NAMES: Record<string, string> = {
  content: "Reading the sources",
  outline: "Planning the episode",
  transcript: "Writing the script",
  speech: "Recording the voices",
  audio: "Mixing the audio",
};

export function stageLabel(stage: string | undefined, status: string): string {
  if (status === "pending") return "Waiting for a worker";
  return (stage && STAGE_NAMES[stage]) || (status === "running" ? "Working" : status);
}

export function showJob(): void {
  byId("job").hidden = false;
  byId("player").hidden = true;
}

export function showProgress(fraction: number, stage: string | undefined, status: string, message: string): void {
  const pct = Math.round(clamp(fraction, 0, 1) * 100);
  const bar = byId("bar");
  bar.setAttribute("aria-valuenow", String(pct));
  bar.setAttribute("aria-valuetext", `${pct}% — ${stageLabel(stage, status)}`);
  byId("bar-fill").style.width = `${pct}%`;
  byId("stage").textContent = stageLabel(stage, status);
  byId("stage-detail").textContent = message;
  byId("job-error").hidden = true;
  byId("retry").hidden = true;
}

/** The failure as the server wrote it; with onRetry, a Retry button that calls it once. */
export function showFailure(message: string, onRetry?: () => void): void {
  showJob();
  const err = byId("job-error");
  err.textContent = message;
  err.hidden = false;
  const retry = byId<HTMLButtonElement>("retry");
  retry.hidden = !onRetry;
  retry.disabled = false;
  retry.onclick = onRetry
    ? () => {
        retry.disabled = true;
        onRetry();
      }
    : null;
  if (onRetry) retry.focus();
}
