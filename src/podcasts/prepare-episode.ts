// A generate request checked in full (profiles, voices, content, script) before anything is
// written; what comes out is what the episode record holds: copies of both profiles as they were,
// so later edits to a profile never change an episode already made or being made.
import type { Config } from "../config.js";
import { idText } from "../core/ids.js";
import type { Db } from "../db/index.js";
import { AppError } from "../errors.js";
import { prepareContent, prepareScript } from "../script/prepare.js";
import type { EpisodeProfile, SpeakerProfile } from "../core/model.js";
import { notebookContent } from "./notebooks.js";
import { getEpisodeProfile, getSpeakerProfile } from "./profiles.js";
import { extractSource, joinTexts, type ExtractedSource } from "./sources.js";
import { GenerateInput, parseOrThrow } from "./validation.js";

/**
 * Checks that every speaker's voice exists for its provider, as "auto" resolves with this config,
 * and returns the profile as it will be spoken (voices mapped for that provider). Given by the
 * composition root (src/providers), so the domain holds no provider code.
 */
export type VoiceCheck = (profile: SpeakerProfile) => Promise<SpeakerProfile>;

export interface EpisodeOrigin {
  kind: "content" | "notebook" | "sources" | "script";
  notebook_id?: string;
  sources?: { kind: string; title: string; url?: string | undefined; file_name?: string | undefined }[];
}

export interface PreparedEpisode {
  name: string;
  briefing: string;
  briefing_suffix: string | undefined;
  language: string;
  content: string | undefined;
  script: { speaker: string; text: string; segment?: number | undefined }[] | undefined;
  origin: EpisodeOrigin;
  episode_profile: EpisodeProfile;
  speaker_profile: SpeakerProfile;
}

/** Re-labels a content error with the field the caller actually used (sources, notebook_id). */
async function asField<T>(field: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError && err.kind === "invalid_input" && err.field === "content" && field !== "content") {
      throw new AppError("invalid_input", `${field}: ${err.message.replace(/^content: /, "")}`, { field, cause: err });
    }
    throw err;
  }
}

function stripMeta<T extends object>(p: T): T {
  const { created: _c, updated: _u, ...rest } = p as T & { created?: unknown; updated?: unknown };
  return rest as T;
}

/** A checked request: the episode to write, and what was chosen for the caller. */
export interface PreparedRequest {
  episode: PreparedEpisode;
  /** The profile was the default (PODCAST_MCP_DEFAULT_PROFILE), not named by the caller. */
  defaultProfile: boolean;
  /** How the name was made when the caller gave none ("the content's first heading", …). */
  derivedName: string | undefined;
}

/**
 * Everything a generate request needs, checked: the profiles exist, every voice exists for its
 * provider (as it will resolve with this config), the content is within limits, a script's
 * speakers are the profile's. Throws before anything is written or any LLM is paid. A request with
 * only content is complete: the profile defaults and the name comes from the content.
 */
/** Where profiles are read: the database, or the service's cache of it. */
export interface ProfileReader {
  episodeProfile(name: string, field: string): Promise<EpisodeProfile & { created?: unknown; updated?: unknown }>;
  speakerProfile(name: string, field: string): Promise<SpeakerProfile & { created?: unknown; updated?: unknown }>;
}

export const readProfilesFrom = (db: Db): ProfileReader => ({
  episodeProfile: (name, field) => getEpisodeProfile(db, name, field),
  speakerProfile: (name, field) => getSpeakerProfile(db, name, field),
});

export async function prepareEpisode(
  db: Db,
  config: Config,
  checkVoices: VoiceCheck,
  raw: unknown,
  profiles: ProfileReader = readProfilesFrom(db),
): Promise<PreparedRequest> {
  const input = parseOrThrow(GenerateInput, raw);
  const profileName = input.episode_profile ?? config.defaultProfile;
  const profileField = input.episode_profile
    ? "episode_profile"
    : "episode_profile (the default, PODCAST_MCP_DEFAULT_PROFILE)";
  const episodeProfile = stripMeta(await asNotFoundField(() => profiles.episodeProfile(profileName, profileField)));
  const speakerName = input.speaker_profile ?? episodeProfile.speaker_profile;
  const speakerProfile = stripMeta(
    await asNotFoundField(() =>
      profiles.speakerProfile(
        speakerName,
        input.speaker_profile ? "speaker_profile" : "episode_profile.speaker_profile",
      ),
    ),
  );
  const runProfile = await checkVoices(speakerProfile);

  let content: string | undefined;
  let script: PreparedEpisode["script"];
  let origin: EpisodeOrigin;
  let title: Title;
  if (input.script !== undefined) {
    prepareScript(input.script, runProfile); // throws on an unknown speaker or an empty turn
    script = input.script.map((t) => ({
      speaker: t.speaker,
      text: t.text,
      ...(t.segment !== undefined ? { segment: t.segment } : {}),
    }));
    origin = { kind: "script" };
    title = titleFromText(input.script.map((t) => t.text).join("\n"), "the script's first words");
  } else if (input.notebook_id !== undefined) {
    const nb = await notebookContent(db, input.notebook_id, "notebook_id");
    content = await asField("notebook_id", () => prepareContent(nb.text));
    origin = { kind: "notebook", notebook_id: idText(nb.id) };
    title = { name: nb.name, how: "the notebook's name" };
  } else if (input.sources !== undefined) {
    const parts: ExtractedSource[] = [];
    for (const [i, s] of input.sources.entries())
      parts.push(await extractSource(s, `sources[${i}]`, { exposure: config.exposure, deniedDirs: [config.dataDir] }));
    content = await asField("sources", () => prepareContent(joinTexts(parts)));
    origin = {
      kind: "sources",
      sources: parts.map((p) => ({ kind: p.kind, title: p.title, url: p.url, file_name: p.fileName })),
    };
    // Pasted text has no title of its own (the extractor's is its first line): name it like content.
    const given =
      input.sources[0] && !("text" in input.sources[0] && !input.sources[0].title) ? parts[0]?.title.trim() : undefined;
    title = given
      ? { name: given, how: "the first source's title" }
      : titleFromText(content, "the sources' first words");
  } else {
    content = prepareContent(input.content);
    origin = { kind: "content" };
    title = titleFromText(content, "the content's first words");
  }

  const suffix = input.briefing_suffix?.trim() || undefined;
  const episode: PreparedEpisode = {
    name: input.episode_name ?? title.name,
    briefing: [episodeProfile.default_briefing, suffix].filter(Boolean).join("\n\n"),
    briefing_suffix: suffix,
    language: input.language ?? episodeProfile.language,
    content,
    script,
    origin,
    episode_profile: episodeProfile,
    speaker_profile: speakerProfile,
  };
  return {
    episode,
    defaultProfile: input.episode_profile === undefined,
    derivedName: input.episode_name === undefined ? title.how : undefined,
  };
}

/** What was chosen for the caller, as a clause of the submit message ("" when nothing was). */
export function describeChoice(p: PreparedRequest): string {
  const parts: string[] = [];
  if (p.defaultProfile) parts.push(`profile ${p.episode.episode_profile.name} (the default)`);
  if (p.derivedName) parts.push(`name taken from ${p.derivedName}`);
  return parts.length ? ` (${parts.join("; ")})` : "";
}

interface Title {
  name: string;
  how: string;
}

const MAX_NAME = 200;
const TITLE_WORDS = 8;

/**
 * A name for text that came without one: its first heading; else its first line when that reads
 * like a title (short, no sentence end); else its first words as written. Never words picked out
 * of a sentence: a listener sees the title next to the audio.
 */
export function titleFromText(text: string, firstWords: string): Title {
  const heading = /^ {0,3}#{1,6}\s+(.+?)\s*#*\s*$/m.exec(text)?.[1]?.trim();
  if (heading) return { name: heading.slice(0, MAX_NAME), how: "the content's first heading" };
  const line = (text.trim().split("\n", 1)[0] ?? "").trim();
  if (line && line.length <= 80 && !/[.!?;:,]$/.test(line) && line.split(/\s+/).length <= 12)
    return { name: line, how: "the content's first line" };
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { name: "Untitled episode", how: "nothing (the content has no words)" };
  const head = words
    .slice(0, TITLE_WORDS)
    .join(" ")
    .replace(/[.,;:!?]+$/, "");
  return { name: `${head}${words.length > TITLE_WORDS ? "…" : ""}`.slice(0, MAX_NAME), how: firstWords };
}

/** A missing profile named in the request is the caller's input error, not a missing resource. */
async function asNotFoundField<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError && err.kind === "not_found")
      throw new AppError("invalid_input", err.message, { ...(err.field ? { field: err.field } : {}), cause: err });
    throw err;
  }
}
