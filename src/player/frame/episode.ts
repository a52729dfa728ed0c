// The episode record as the player needs it, read defensively from podcast://episodes/{id}: the
// frame shows what it can and never throws on a field it does not know.
export interface Chapter {
  title: string;
  start: number;
  end: number;
}

export interface Turn {
  speaker: string;
  text: string;
  start: number;
  end: number;
}

export interface EpisodeView {
  id: string;
  name: string;
  duration: number;
  chapters: Chapter[];
  turns: Turn[];
  /** Speaker names in profile order, then any other name the transcript uses: index = colour. */
  speakers: string[];
}

const num = (v: unknown, fallback = 0): number => (typeof v === "number" && Number.isFinite(v) ? v : fallback);
const str = (v: unknown, fallback = ""): string => (typeof v === "string" ? v : fallback);
const list = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => !!x && typeof x === "object") : [];

export function toEpisodeView(raw: unknown): EpisodeView {
  const r = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const turns = list(r.transcript)
    .map((t) => ({ speaker: str(t.speaker, "?"), text: str(t.text), start: num(t.start), end: num(t.end) }))
    .sort((a, b) => a.start - b.start);
  const chapters = list(r.chapters).map((c) => ({
    title: str(c.title, "Chapter"),
    start: num(c.start),
    end: num(c.end),
  }));
  const profile = (r.speaker_profile && typeof r.speaker_profile === "object" ? r.speaker_profile : {}) as Record<
    string,
    unknown
  >;
  const speakers: string[] = [];
  for (const name of [...list(profile.speakers).map((s) => str(s.name)), ...turns.map((t) => t.speaker)]) {
    if (name && !speakers.includes(name)) speakers.push(name);
  }
  const duration = num(r.duration, turns.at(-1)?.end ?? 0);
  return { id: str(r.id), name: str(r.name, "Podcast episode"), duration, chapters, turns, speakers };
}

/**
 * The item playing at `t`: the last one that has started. Between two turns (the pause) the
 * previous one stays current, so the highlight does not flicker off and on.
 */
export function currentIndex(items: readonly { start: number }[], t: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.start <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
