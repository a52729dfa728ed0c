// The episode's description, as podcast players show it under the title (the ID3 comment): what the
// episode is about, then its chapters with their start times, the way show notes list them.
import type { Chapter } from "../../core/model.js";
import { clockTime } from "./transcript-files.js";

/** Show notes stay readable in a player's description pane; the transcript has the rest. */
const SUMMARY_MAX = 600;

export function describeEpisode(title: string, summary: string | undefined, chapters: Chapter[]): string {
  const about = oneLine(summary ?? "");
  const lines = [about ? clip(about, SUMMARY_MAX) : `${oneLine(title)}.`];
  if (chapters.length > 1) {
    lines.push("", "Chapters:", ...chapters.map((c) => `${clockTime(c.start)} ${oneLine(c.title)}`));
  }
  return lines.join("\n");
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const sentence = cut.lastIndexOf(". ");
  return sentence > max / 2 ? cut.slice(0, sentence + 1) : `${cut.trimEnd()}…`;
}
