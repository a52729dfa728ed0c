// The one owner of the `episode` table: every read and write of an episode record goes through
// here. An episode's status is never stored: it is its job's status (the queue's `command` record
// it links to). An episode the generate CLI made has no job; its status is "completed" when it has
// its audio and "failed" otherwise, and it says why (see statusOf).
//
// Writes a running job makes (checkpoints, the finished result) carry the job's Fence: they land
// only while the job still runs under that worker and attempt, checked in the same statement, so a
// stale worker (paused past its lease, then resumed) cannot overwrite what its successor made.
import { RecordId, Table } from "surrealdb";
import type { JobStatusName } from "../core/enums.js";
import { idText, parseRecordId, randomKey } from "../core/ids.js";
import { writeRetrying } from "../core/resilience/conflict.js";
import type { Db } from "../db/index.js";
import { AppError } from "../errors.js";
import type { Chapter, Outline, TimedTurn } from "../core/model.js";
import type { CheckpointStore } from "../pipeline/types.js";
import type { Fence } from "../queue/command.js";
import { fenceClause } from "../queue/lease.js";
import type { Submitter } from "../sampling/submitter.js";
import type { PreparedEpisode } from "./prepare-episode.js";
import { plain } from "./plain.js";

export type EpisodeStatus = JobStatusName;

/** An episode record as callers see it (ids as text, dates as ISO strings). */
export type EpisodeRecord = PreparedEpisode & {
  id: string;
  command?: string;
  outline?: unknown;
  transcript?: unknown[];
  /** Folder of this episode's files, relative to its artifact folder ("" for episodes made before runs had folders). */
  files?: string;
  audio_file?: string;
  duration?: number;
  chapters?: unknown[];
  loudness?: { integrated: number; truePeak: number };
  stats?: Record<string, number>;
  /** The MCP session that submitted (or last retried) it; absent for the generate CLI's. */
  submitted_by?: unknown;
  /** Which writers wrote its script, once it is made. */
  writer?: { outline: string; transcript: string };
  checkpoints: Record<string, unknown>;
  created: string;
  updated: string;
};

/** What a finished run stores on its episode. */
export interface EpisodeResult {
  files: string;
  audio_file: string;
  duration: number;
  outline: Outline;
  transcript: TimedTurn[];
  chapters: Chapter[];
  loudness: { integrated: number; truePeak: number };
  stats: Record<string, number>;
  writer: { outline: string; transcript: string };
}

export interface EpisodeRow {
  id: string;
  name: string;
  command: string | undefined;
  audio_file: string | undefined;
  episode_profile: string;
  duration: number | null;
  created: string;
  updated: string;
}

export type EpisodeSummary = {
  id: string;
  name: string;
  status: EpisodeStatus;
  job_id: string | null;
  episode_profile: string;
  duration: number | null;
  error: string | null;
  created: string;
  updated: string;
};

export interface FeedRow {
  id: string;
  name: string;
  chapters: { title: string }[];
  duration: number;
  files: string;
  audio_file: string;
  created: string;
}

/** The job fields an episode's status is derived from. */
export interface JobView {
  status: JobStatusName;
  error_message: string | null;
}

export const CLI_UNFINISHED =
  "made by the generate CLI, which stopped before the audio was written; retry_episode resumes it as a job";

/** An episode's status and error, from its job; an episode with no job (the CLI's) from its audio. */
export function statusOf(
  ep: { command?: unknown; audio_file?: unknown },
  job: JobView | undefined,
): { status: EpisodeStatus; error: string | null } {
  if (job) return { status: job.status, error: job.error_message };
  // No job (the CLI's episodes, or a finished job removed by retention): the audio says it all.
  if (ep.audio_file) return { status: "completed", error: null };
  if (ep.command) return { status: "failed", error: "its job no longer exists; retry_episode makes a new one" };
  return { status: "failed", error: CLI_UNFINISHED };
}

/** JSON round trip: records hold plain data; undefined members must not reach the CBOR encoder. */
const clean = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

export class EpisodeStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The record id for a caller's episode id (invalid_input naming `field` when malformed). */
  recordId(raw: unknown, field = "episode_id"): RecordId<"episode", string> {
    return parseRecordId("episode", raw, field);
  }

  /** A new record id, for a caller that writes the episode in a transaction of its own (atomic submit). */
  newId(): RecordId<"episode", string> {
    return new RecordId("episode", randomKey());
  }

  /** The CREATE statement for `prepared` under `$episode`, linked to its job and its submitter when given. */
  createStatement(
    prepared: PreparedEpisode,
    job?: RecordId,
    submittedBy?: Submitter,
  ): { sql: string; vars: Record<string, unknown> } {
    const c = {
      ...clean(prepared),
      ...(job ? { command: job } : {}),
      ...(submittedBy ? { submitted_by: clean(submittedBy) } : {}),
      checkpoints: {},
      created: new Date(),
      updated: new Date(),
    };
    return { sql: "CREATE $episode CONTENT $episode_content", vars: { episode_content: c } };
  }

  /** An episode with no job (the generate CLI's). */
  async create(prepared: PreparedEpisode): Promise<RecordId<"episode", string>> {
    const id = this.newId();
    const { sql, vars } = this.createStatement(prepared);
    await this.#write(sql, { ...vars, episode: id });
    return id;
  }

  async find(raw: unknown, field = "episode_id"): Promise<EpisodeRecord | undefined> {
    const id = this.recordId(raw, field);
    const [rows] = await this.#db.query<[Record<string, unknown>[]]>("SELECT * FROM $id", { id }).collect();
    return rows?.[0] ? plain<EpisodeRecord>(rows[0]) : undefined;
  }

  async load(raw: unknown, field = "episode_id"): Promise<EpisodeRecord> {
    const ep = await this.find(raw, field);
    if (!ep) throw new AppError("not_found", `${field}: episode not found: ${String(raw)}`, { field });
    return ep;
  }

  /** Newest first: the fields a list shows; the caller adds each one's status from its job. */
  async list(limit: number): Promise<EpisodeRow[]> {
    const [rows] = await this.#db
      .query<[Record<string, unknown>[]]>(
        `SELECT id, name, command, audio_file, episode_profile.name AS episode_profile, duration, created, updated
         FROM episode ORDER BY created DESC LIMIT $limit`,
        { limit },
      )
      .collect();
    return (rows ?? []).map((r) => {
      const p = plain<Record<string, unknown>>(r);
      return {
        id: String(p.id),
        name: String(p.name),
        command: typeof p.command === "string" ? p.command : undefined,
        audio_file: typeof p.audio_file === "string" ? p.audio_file : undefined,
        episode_profile: String(p.episode_profile ?? ""),
        duration: typeof p.duration === "number" ? p.duration : null,
        created: String(p.created),
        updated: String(p.updated),
      };
    });
  }

  /** Episodes with audio, newest first (the RSS feed). */
  async withAudio(limit: number): Promise<FeedRow[]> {
    const [rows] = await this.#db
      .query<[Record<string, unknown>[]]>(
        "SELECT id, name, chapters, duration, files, audio_file, created FROM episode WHERE audio_file != NONE ORDER BY created DESC LIMIT $limit",
        { limit },
      )
      .collect();
    return (rows ?? []).map((r) => {
      const p = plain<Partial<FeedRow>>(r);
      return {
        id: String(p.id),
        name: String(p.name),
        chapters: p.chapters ?? [],
        duration: p.duration ?? 0,
        files: p.files ?? "",
        audio_file: String(p.audio_file),
        created: String(p.created),
      };
    });
  }

  /** Jobs of the newest episodes (completion of job ids). */
  async recentJobIds(limit: number): Promise<string[]> {
    const [rows] = await this.#db
      .query<[unknown[]]>(
        "SELECT VALUE command FROM episode WHERE command != NONE ORDER BY created DESC LIMIT $limit",
        { limit },
      )
      .collect();
    return (rows ?? []).map((r) => idText(r));
  }

  /**
   * The statement that points the episode at a new job, for a caller's transaction (retry); with
   * `submitter`, the session that retries it becomes the one its writer may ask ($submitted_by).
   */
  relinkStatement(clearCheckpoints: boolean, submitter = false): string {
    const cleared = clearCheckpoints ? ", checkpoints = {}" : "";
    const by = submitter ? ", submitted_by = $submitted_by" : "";
    return `UPDATE $episode SET command = $job${cleared}${by}, updated = time::now()`;
  }

  async delete(raw: unknown): Promise<void> {
    await this.#write("DELETE $id", { id: this.recordId(raw) });
  }

  /** Calls back when an episode is created or deleted (the list changed). */
  async watchList(onChange: () => void): Promise<() => Promise<void>> {
    // Ids only: an episode's every checkpoint write would otherwise send the whole record (content,
    // transcript) to each watching server.
    const sub = await this.#db.live(new Table("episode")).fields("id");
    const unsubscribe = sub.subscribe((msg) => {
      if (msg.action === "CREATE" || msg.action === "DELETE") onChange();
    });
    return async () => {
      unsubscribe();
      await sub.kill();
    };
  }

  /** Stage checkpoints on the record (episode.checkpoints.<key>), fenced when a job writes them. */
  checkpoints(raw: unknown, fence: Fence | undefined): CheckpointStore {
    const id = this.recordId(raw);
    return {
      get: async <T>(key: string): Promise<T | undefined> => {
        const [value] = await this.#db
          .query<[unknown]>("RETURN (SELECT VALUE checkpoints FROM ONLY $id)[$key]", { id, key })
          .collect();
        return value === null || value === undefined ? undefined : (value as T);
      },
      put: async <T>(key: string, value: T): Promise<void> => {
        await this.#fencedWrite(
          id,
          fence,
          "checkpoints[$key] = $value",
          { key, value: value === undefined ? null : clean(value) },
          `checkpoint ${key}`,
        );
      },
    };
  }

  /**
   * The finished run's result; fenced like checkpoints. Returns the run folder it replaces (""
   * for files made before run folders), or undefined when the episode had no files yet.
   */
  async complete(raw: unknown, result: EpisodeResult, fence: Fence | undefined): Promise<string | undefined> {
    const set = `files = $r.files, audio_file = $r.audio_file, duration = $r.duration, outline = $r.outline, transcript = $r.transcript,
      chapters = $r.chapters, loudness = $r.loudness, stats = $r.stats, writer = $r.writer`;
    const before = await this.#fencedWrite(
      this.recordId(raw),
      fence,
      set,
      { r: clean(result) },
      "the finished episode",
      "BEFORE",
    );
    return typeof before.audio_file === "string" ? (typeof before.files === "string" ? before.files : "") : undefined;
  }

  async #fencedWrite(
    id: RecordId,
    fence: Fence | undefined,
    set: string,
    vars: Record<string, unknown>,
    what: string,
    returns: "id" | "BEFORE" = "id",
  ): Promise<Record<string, unknown>> {
    // The queue owns what "the job is still ours" means; the episode must also still be that job's.
    const f = fence ? fenceClause(fence) : undefined;
    const where = f ? ` WHERE command = $fence_job AND ${f.sql}` : "";
    const sql = `UPDATE $id SET ${set}, updated = time::now()${where} RETURN ${returns === "id" ? "id" : "BEFORE"}`;
    const [rows] = await this.#write<[Record<string, unknown>[]]>(sql, { id, ...vars, ...f?.vars });
    if (rows.length > 0) return rows[0]!;
    if (!fence) throw new AppError("not_found", `episode not found: ${idText(id)}`);
    // The job is no longer ours (taken over, canceled, finished elsewhere) or the episode is gone.
    throw new AppError(
      "canceled",
      `${what} not written: this worker no longer holds job ${fence.jobId} (attempt ${fence.attempt})`,
    );
  }

  #write<R extends unknown[] = unknown[]>(sql: string, vars: Record<string, unknown>): Promise<R> {
    return writeRetrying<R>(this.#db, sql, vars);
  }
}
