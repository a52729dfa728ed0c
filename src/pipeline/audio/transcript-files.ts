// The transcript in three files, all with the real timings of the assembled audio:
// JSON (for programs), WebVTT (captions/players: one cue per turn with a <v Speaker> voice span),
// Markdown (for people: chapters as headings, timestamped speaker lines).
import type { Chapter, TimedTurn } from "../../core/model.js";

export interface TranscriptDoc {
  title: string;
  show?: string | undefined;
  date?: string | undefined;
  durationSeconds: number;
  turns: TimedTurn[];
  chapters: Chapter[];
}

const ms = (s: number) => Math.round(s * 1000) / 1000;

export function toJson(doc: TranscriptDoc): string {
  return JSON.stringify(
    {
      version: 1,
      title: doc.title,
      ...(doc.show !== undefined ? { show: doc.show } : {}),
      ...(doc.date !== undefined ? { date: doc.date } : {}),
      duration_seconds: ms(doc.durationSeconds),
      chapters: doc.chapters.map((c) => ({ title: c.title, start: ms(c.start), end: ms(c.end) })),
      turns: doc.turns.map((t) => ({
        speaker: t.speaker,
        segment: t.segment,
        start: ms(t.start),
        end: ms(t.end),
        text: t.text,
      })),
    },
    null,
    2,
  );
}

/** HH:MM:SS.mmm, the full WebVTT timestamp form (valid past one hour). */
export function vttTime(seconds: number): string {
  const total = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  const milli = total % 1000;
  return `${pad(h)}:${pad(m)}:${pad(s)}.${String(milli).padStart(3, "0")}`;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Cue text may not hold "-->" or blank lines, and must escape &, < and >. */
function vttText(s: string): string {
  return oneLine(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

export function toWebVtt(turns: TimedTurn[]): string {
  const cues = turns.map(
    (t, i) =>
      `${i + 1}\n${vttTime(t.start)} --> ${vttTime(Math.max(t.end, t.start + 0.001))}\n<v ${vttText(t.speaker)}>${vttText(t.text)}</v>`,
  );
  return `WEBVTT\n\n${cues.join("\n\n")}\n`;
}

/** [mm:ss], or [h:mm:ss] from one hour on. */
export function clockTime(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

const mdEscape = (s: string) => oneLine(s).replace(/([\\`*_[\]<>#])/g, "\\$1");

export function toMarkdown(doc: TranscriptDoc): string {
  const lines: string[] = [`# ${mdEscape(doc.title)}`, ""];
  const meta = [doc.show, doc.date, `${clockTime(doc.durationSeconds)}`].filter(Boolean).join(" · ");
  lines.push(`*${meta}*`, "");
  let next = 0; // index of the next chapter heading to print
  for (const t of doc.turns) {
    while (next < doc.chapters.length && t.start >= doc.chapters[next]!.start) {
      const c = doc.chapters[next]!;
      lines.push(`## ${mdEscape(c.title)} [${clockTime(c.start)}]`, "");
      next++;
    }
    lines.push(`**${mdEscape(t.speaker)}:** [${clockTime(t.start)}] ${oneLine(t.text)}`, "");
  }
  return lines.join("\n");
}
