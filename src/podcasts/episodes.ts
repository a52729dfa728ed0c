// Episodes: the request checked in full (profiles, voices, content, script) before anything is
// written, then one record holding copies of both profiles as they were, so later edits to a
// profile never change an episode already made or being made.
import type { RecordId } from "surrealdb";
import type { Config } from "../config.js";
import type { Db } from "../db/index.js";
import { AppError } from "../errors.js";
import { checkVoices, prepareContent, prepareScript } from "../pipeline/run.js";
import type { EpisodeProfile, SpeakerProfile } from "../pipeline/types.js";
import { idText, parseRecordId } from "./ids.js";
import { notebookContent } from "./notebooks.js";
import { plain } from "./plain.js";
import { getEpisodeProfile, getSpeakerProfile } from "./profiles.js";
import type { Providers } from "./providers.js";
import { extractSource, joinTexts, type ExtractedSource } from "./sources.js";
import { GenerateInput, parseOrThrow } from "./validation.js";
import { voicesForRun } from "./voice-map.js";

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

/**
 * Everything a generate request needs, checked: the profiles exist, every voice exists for its
 * provider (as it will resolve with this config), the content is within limits, a script's
 * speakers are the profile's. Throws before anything is written or any LLM is paid.
 */
export async function prepareEpisode(db: Db, config: Config, providers: Providers, raw: unknown): Promise<PreparedEpisode> {
  const input = parseOrThrow(GenerateInput, raw);
  const episodeProfile = stripMeta(await asNotFoundField(() => getEpisodeProfile(db, input.episode_profile, "episode_profile")));
  const speakerName = input.speaker_profile ?? episodeProfile.speaker_profile;
  const speakerProfile = stripMeta(await asNotFoundField(() => getSpeakerProfile(db, speakerName, input.speaker_profile ? "speaker_profile" : "episode_profile.speaker_profile")));
  const runProfile = voicesForRun(speakerProfile, config);
  await checkVoices(runProfile, providers);

  let content: string | undefined;
  let script: PreparedEpisode["script"];
  let origin: EpisodeOrigin;
  if (input.script !== undefined) {
    prepareScript(input.script, runProfile); // throws on an unknown speaker or an empty turn
    script = input.script.map((t) => ({ speaker: t.speaker, text: t.text, ...(t.segment !== undefined ? { segment: t.segment } : {}) }));
    origin = { kind: "script" };
  } else if (input.notebook_id !== undefined) {
    const nb = await notebookContent(db, input.notebook_id, "notebook_id");
    content = await asField("notebook_id", () => prepareContent(nb.text));
    origin = { kind: "notebook", notebook_id: idText(nb.id) };
  } else if (input.sources !== undefined) {
    const parts: ExtractedSource[] = [];
    for (const [i, s] of input.sources.entries()) parts.push(await extractSource(s, `sources[${i}]`, { exposure: config.exposure }));
    content = await asField("sources", () => prepareContent(joinTexts(parts)));
    origin = { kind: "sources", sources: parts.map((p) => ({ kind: p.kind, title: p.title, url: p.url, file_name: p.fileName })) };
  } else {
    content = prepareContent(input.content);
    origin = { kind: "content" };
  }

  const suffix = input.briefing_suffix?.trim() || undefined;
  return {
    name: input.episode_name,
    briefing: [episodeProfile.default_briefing, suffix].filter(Boolean).join("\n\n"),
    briefing_suffix: suffix,
    language: input.language ?? episodeProfile.language,
    content,
    script,
    origin,
    episode_profile: episodeProfile,
    speaker_profile: speakerProfile,
  };
}

/** A missing profile named in the request is the caller's input error, not a missing resource. */
async function asNotFoundField<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError && err.kind === "not_found") throw new AppError("invalid_input", err.message, { ...(err.field ? { field: err.field } : {}), cause: err });
    throw err;
  }
}

export async function createEpisode(db: Db, p: PreparedEpisode): Promise<RecordId> {
  const clean = JSON.parse(JSON.stringify(p)) as PreparedEpisode;
  const [rows] = await db
    .query<[{ id: RecordId }[]]>("CREATE episode CONTENT $c RETURN id", {
      c: { ...clean, status: "submitted", checkpoints: {}, created: new Date(), updated: new Date() },
    })
    .collect();
  return rows![0]!.id;
}

export type EpisodeRecord = PreparedEpisode & {
  id: string;
  command?: string;
  status: string;
  outline?: unknown;
  transcript?: unknown[];
  audio_file?: string;
  duration?: number;
  chapters?: unknown[];
  loudness?: { integrated: number; truePeak: number };
  stats?: Record<string, number>;
  checkpoints: Record<string, unknown>;
  error?: string;
  created: string;
  updated: string;
};

export async function findEpisode(db: Db, rawId: unknown, field = "episode_id"): Promise<EpisodeRecord | undefined> {
  const id = parseRecordId("episode", rawId, field);
  const [rows] = await db.query<[Record<string, unknown>[]]>("SELECT * FROM $id", { id }).collect();
  return rows?.[0] ? plain<EpisodeRecord>(rows[0]) : undefined;
}

export async function loadEpisode(db: Db, rawId: unknown, field = "episode_id"): Promise<EpisodeRecord> {
  const ep = await findEpisode(db, rawId, field);
  if (!ep) throw new AppError("not_found", `${field}: episode not found: ${String(rawId)}`, { field });
  return ep;
}
