// Episode and speaker profiles, one record per name (the record id is the name, so "save" is an
// upsert by name and the unique index backs it up). Voices are checked by the caller (the service)
// because that needs the TTS engines.
import { RecordId } from "surrealdb";
import type { Db } from "../db/index.js";
import { AppError } from "../errors.js";
import type { EpisodeProfile, SpeakerProfile } from "../core/model.js";
import { plain, type Flat } from "./plain.js";
import { writeRetrying } from "../core/resilience/conflict.js";
import { EpisodeProfileInput, ProfileNameSchema, SpeakerProfileInput, parseOrThrow } from "./validation.js";

export type ProfileTable = "episode_profile" | "speaker_profile";
export type StoredEpisodeProfile = Flat<EpisodeProfile & { created: string; updated: string }>;
export type StoredSpeakerProfile = Flat<SpeakerProfile & { created: string; updated: string }>;

const WHAT: Record<ProfileTable, string> = { episode_profile: "episode profile", speaker_profile: "speaker profile" };

function profileId(table: ProfileTable, name: unknown, field: string): RecordId {
  return new RecordId(table, parseOrThrow(ProfileNameSchema, name, field));
}

function stripId<T>(row: Record<string, unknown>): T {
  const { id: _id, ...rest } = plain<Record<string, unknown>>(row);
  return rest as T;
}

async function getProfile<T>(db: Db, table: ProfileTable, name: string, field = "name"): Promise<T | undefined> {
  const [rows] = await db
    .query<[Record<string, unknown>[]]>("SELECT * FROM $id", { id: profileId(table, name, field) })
    .collect();
  return rows?.[0] ? stripId<T>(rows[0]) : undefined;
}

async function listProfiles<T>(db: Db, table: ProfileTable): Promise<T[]> {
  const [rows] = await db
    .query<[Record<string, unknown>[]]>(`SELECT * FROM type::table($table) ORDER BY name`, { table })
    .collect();
  return (rows ?? []).map((r) => stripId<T>(r));
}

async function upsertProfile(db: Db, table: ProfileTable, profile: { name: string }): Promise<void> {
  const id = new RecordId(table, profile.name);
  const [rows] = await db.query<[{ created?: unknown }[]]>("SELECT created FROM $id", { id }).collect();
  const created = rows?.[0]?.created ?? new Date();
  await writeRetrying(db, "UPSERT $id CONTENT $c", { id, c: { ...profile, created, updated: new Date() } });
}

/** The names there are, so a not_found message can say what to use instead. */
async function names(db: Db, table: ProfileTable): Promise<string[]> {
  const [rows] = await db
    .query<[string[]]>(`SELECT VALUE name FROM type::table($table) ORDER BY name`, { table })
    .collect();
  return rows ?? [];
}

export async function getEpisodeProfile(db: Db, name: string, field = "name"): Promise<StoredEpisodeProfile> {
  const p = await getProfile<StoredEpisodeProfile>(db, "episode_profile", name, field);
  if (!p) throw await missing(db, "episode_profile", name, field);
  return p;
}

export async function getSpeakerProfile(db: Db, name: string, field = "name"): Promise<StoredSpeakerProfile> {
  const p = await getProfile<StoredSpeakerProfile>(db, "speaker_profile", name, field);
  if (!p) throw await missing(db, "speaker_profile", name, field);
  return p;
}

async function missing(db: Db, table: ProfileTable, name: string, field: string): Promise<AppError> {
  const have = await names(db, table);
  return new AppError("not_found", `${field}: no ${WHAT[table]} named "${name}" (have: ${have.join(", ") || "none"})`, {
    field,
  });
}

export const listEpisodeProfiles = (db: Db) => listProfiles<StoredEpisodeProfile>(db, "episode_profile");
export const listSpeakerProfiles = (db: Db) => listProfiles<StoredSpeakerProfile>(db, "speaker_profile");

/** Validated speaker profile (structure and uniqueness rules only; voices are the caller's check). */
export function parseSpeakerProfile(input: unknown): SpeakerProfile {
  return parseOrThrow(SpeakerProfileInput, input) as SpeakerProfile;
}

export function parseEpisodeProfile(input: unknown): EpisodeProfile {
  return parseOrThrow(EpisodeProfileInput, input) as EpisodeProfile;
}

export async function saveSpeakerProfile(db: Db, profile: SpeakerProfile): Promise<StoredSpeakerProfile> {
  await upsertProfile(db, "speaker_profile", profile);
  return getSpeakerProfile(db, profile.name);
}

export async function saveEpisodeProfile(db: Db, profile: EpisodeProfile): Promise<StoredEpisodeProfile> {
  // The speaker profile must exist now, or every episode made from this profile would fail later.
  await getSpeakerProfile(db, profile.speaker_profile, "speaker_profile");
  await upsertProfile(db, "episode_profile", profile);
  return getEpisodeProfile(db, profile.name);
}

/** Create the profile only when no profile of that name exists; true when it was created. */
export async function createProfileIfMissing(db: Db, table: ProfileTable, profile: { name: string }): Promise<boolean> {
  const id = new RecordId(table, profile.name);
  try {
    const [rows] = await writeRetrying<[unknown[] | null]>(
      db,
      "IF record::exists($id) { RETURN [] } ELSE { RETURN (CREATE $id CONTENT $c) }",
      {
        id,
        c: { ...profile, created: new Date(), updated: new Date() },
      },
    );
    return Array.isArray(rows) && rows.length > 0;
  } catch (err) {
    // Two processes seeding at once (server and workers start together): the loser finds the
    // record on CREATE (or, through a conflict and its retry, exists): it was created, not by us.
    if (/already exists/i.test((err as Error).message)) return false;
    throw err;
  }
}
