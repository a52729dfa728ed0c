// The podcast service: everything the MCP tools and resources do, without MCP. It validates,
// writes records, submits jobs and reads state; it never runs the pipeline (workers do, through
// command.ts). Every id from a caller goes through a strict parser and into bound variables.
import { stat } from "node:fs/promises";
import { RecordId, Table } from "surrealdb";
import type { Config } from "../config.js";
import type { Db } from "../db/index.js";
import { AppError, invalidInput } from "../errors.js";
import type { Logger } from "../log.js";
import { checkVoices } from "../pipeline/run.js";
import { EPISODE_FILE_NAMES } from "../pipeline/stages/audio.js";
import { parseJobId, type JobStatus, type Queue } from "../queue/index.js";
import { createFileArtifactStore, type ArtifactStore } from "./artifacts.js";
import { clearCheckpoints } from "./checkpoints.js";
import { GENERATE_PODCAST } from "./command.js";
import { createEpisode, loadEpisode, prepareEpisode, type EpisodeRecord } from "./episodes.js";
import { idText, parseRecordId } from "./ids.js";
import * as notebooks from "./notebooks.js";
import { plain, type Flat } from "./plain.js";
import * as profiles from "./profiles.js";
import { createProviders, type Providers } from "./providers.js";
import { write } from "./db-write.js";
import { seedProfiles } from "./seed.js";
import { voicesForRun } from "./voice-map.js";

export interface PodcastServiceDeps {
  db: Db;
  queue: Queue;
  config: Config;
  log: Logger;
  artifacts?: ArtifactStore;
}

export type EpisodeStatus = "pending" | "running" | "completed" | "failed" | "canceled";
export type JobStatusWithEpisode = Flat<JobStatus & { episode_id: string | null }>;
export type ArtifactKind = keyof typeof EPISODE_FILE_NAMES;

export type SubmitResult = {
  job_id: string;
  episode_id: string;
  status: "submitted";
  message: string;
  episode_profile: string;
  episode_name: string;
};

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

export interface FeedItem {
  id: string;
  name: string;
  description: string;
  created: string;
  duration: number;
  bytes: number;
}

const FINISHED = new Set(["completed", "failed", "canceled"]);

/** The episode's status: its job's when it has one, else the record's own (episodes the CLI made). */
function episodeStatus(jobStatus: unknown, mirror: unknown): EpisodeStatus {
  if (typeof jobStatus === "string") return jobStatus as EpisodeStatus;
  if (mirror === "submitted") return "pending";
  return (typeof mirror === "string" ? mirror : "pending") as EpisodeStatus;
}

export class PodcastService {
  readonly #db: Db;
  readonly #queue: Queue;
  readonly #config: Config;
  readonly #log: Logger;
  readonly #artifacts: ArtifactStore;
  readonly #providers: Providers;

  constructor(deps: PodcastServiceDeps) {
    this.#db = deps.db;
    this.#queue = deps.queue;
    this.#config = deps.config;
    this.#log = deps.log.child({ part: "podcasts" });
    this.#artifacts = deps.artifacts ?? createFileArtifactStore(deps.config.dataDir);
    this.#providers = createProviders(deps.config, this.#log);
  }

  /** Seeds the default profiles (only those missing). Run after migrations. */
  async init(): Promise<void> {
    const created = await seedProfiles(this.#db);
    if (created > 0) this.#log.info({ created }, "seeded default profiles");
  }

  // ---------- profiles ----------

  async listProfiles() {
    const [episode_profiles, speaker_profiles] = await Promise.all([profiles.listEpisodeProfiles(this.#db), profiles.listSpeakerProfiles(this.#db)]);
    return { episode_profiles, speaker_profiles };
  }

  getEpisodeProfile(name: string) {
    return profiles.getEpisodeProfile(this.#db, name);
  }

  getSpeakerProfile(name: string) {
    return profiles.getSpeakerProfile(this.#db, name);
  }

  async saveEpisodeProfile(input: unknown) {
    return profiles.saveEpisodeProfile(this.#db, profiles.parseEpisodeProfile(input));
  }

  /** Voices are checked for their providers (as "auto" resolves now) before anything is written. */
  async saveSpeakerProfile(input: unknown) {
    const profile = profiles.parseSpeakerProfile(input);
    await checkVoices(voicesForRun(profile, this.#config), this.#providers);
    return profiles.saveSpeakerProfile(this.#db, profile);
  }

  // ---------- notebooks ----------

  createNotebook(input: unknown) {
    return notebooks.createNotebook(this.#db, input);
  }

  addSource(notebookId: string, source: unknown) {
    return notebooks.addSource(this.#db, notebookId, source, this.#config.exposure);
  }

  listNotebooks() {
    return notebooks.listNotebooks(this.#db);
  }

  getNotebook(id: string) {
    return notebooks.getNotebook(this.#db, id);
  }

  /** Removes the notebook and its sources; episodes made from it keep their own copy of the text. */
  async deleteNotebook(id: string): Promise<{ notebook_id: string; deleted: boolean }> {
    const rid = parseRecordId("notebook", id, "notebook_id");
    return { notebook_id: idText(rid), deleted: await notebooks.deleteNotebook(this.#db, rid) };
  }

  // ---------- episodes and jobs ----------

  /**
   * Checks everything (profiles, voices, content, script), then writes the episode and submits
   * its job. Nothing is written when a check fails; the episode is removed if the submit fails.
   */
  async submitEpisode(input: unknown): Promise<SubmitResult> {
    const prepared = await prepareEpisode(this.#db, this.#config, this.#providers, input);
    const id = await createEpisode(this.#db, prepared);
    const episodeId = idText(id);
    let jobId: string;
    try {
      jobId = (await this.#queue.submit(GENERATE_PODCAST, { episode_id: episodeId })).job_id;
    } catch (err) {
      await write(this.#db, "DELETE $id", { id }).catch((e: unknown) => this.#log.error({ err: e, episodeId }, "could not remove the episode of a failed submit"));
      throw err;
    }
    await this.#linkJob(id, jobId);
    return {
      job_id: jobId,
      episode_id: episodeId,
      status: "submitted",
      message: `Episode "${prepared.name}" is queued as job ${jobId}. Follow it with get_job_status (or subscribe to podcast://jobs/${jobId}); when it completes, read podcast://episodes/${episodeId}.`,
      episode_profile: prepared.episode_profile.name,
      episode_name: prepared.name,
    };
  }

  async #linkJob(id: RecordId, jobId: string): Promise<void> {
    const job = new RecordId("command", parseJobId(jobId).slice("command:".length));
    await write(this.#db, "UPDATE $id SET command = $job, status = 'submitted', error = NONE, updated = time::now()", { id, job });
  }

  async #episodeIdOfJob(status: JobStatus): Promise<string | null> {
    const fromResult = (status.result as { episode_id?: unknown } | null)?.episode_id;
    if (typeof fromResult === "string") return fromResult;
    const job = new RecordId("command", parseJobId(status.job_id).slice("command:".length));
    const [value] = await this.#db.query<[unknown]>("RETURN (SELECT VALUE args.episode_id FROM ONLY $job)", { job }).collect();
    return typeof value === "string" ? value : null;
  }

  async #withEpisode(status: JobStatus): Promise<JobStatusWithEpisode> {
    return { ...status, episode_id: await this.#episodeIdOfJob(status) };
  }

  async jobStatus(jobId: string): Promise<JobStatusWithEpisode> {
    return this.#withEpisode(await this.#queue.status(parseJobId(jobId)));
  }

  async cancelJob(jobId: string): Promise<JobStatusWithEpisode> {
    return this.#withEpisode(await this.#queue.cancel(parseJobId(jobId)));
  }

  /**
   * Holds until the job's status or progress differs from `now`, the time passes or the signal
   * fires; `onChange` sees every change meanwhile. LIVE query first, a 1 s poll as backstop
   * (LIVE notifications are not replayed after a reconnect).
   */
  async waitForJobChange(jobId: string, now: JobStatus, waitMs: number, signal: AbortSignal, onChange: (s: JobStatus) => unknown): Promise<JobStatusWithEpisode> {
    parseJobId(jobId);
    // Holds until the status changes; progress changes on the way are reported through onChange
    // (progress notifications to the caller), so one long wait covers a whole running phase.
    let lastProgress = JSON.stringify(now.progress);
    let lastFraction = now.progress?.fraction ?? 0;
    const differs = (s: JobStatus) => s.status !== now.status;
    const latest = await new Promise<JobStatus | undefined>((resolve) => {
      let done = false;
      let stopWatch: (() => Promise<void>) | undefined;
      const finish = (s: JobStatus | undefined) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(poll);
        signal.removeEventListener("abort", onAbort);
        void stopWatch?.().catch(() => {});
        resolve(s);
      };
      const seen = (s: JobStatus) => {
        if (done) return;
        const progress = JSON.stringify(s.progress);
        // A poll answer can arrive after a newer LIVE notification: never report progress backwards.
        const fraction = s.progress?.fraction ?? 0;
        if (s.status === now.status && fraction < lastFraction) return;
        lastFraction = fraction;
        if (progress !== lastProgress || differs(s)) {
          lastProgress = progress;
          void Promise.resolve(onChange(s)).catch(() => {});
        }
        if (differs(s)) finish(s);
      };
      const onAbort = () => finish(undefined);
      const timer = setTimeout(() => finish(undefined), Math.max(0, waitMs));
      const poll = setInterval(() => void this.#queue.status(jobId).then(seen, () => {}), 1_000);
      signal.addEventListener("abort", onAbort, { once: true });
      if (signal.aborted) return finish(undefined);
      this.#queue.watch(jobId, seen).then(
        (stop) => (done ? void stop().catch(() => {}) : (stopWatch = stop)),
        (err: unknown) => this.#log.debug({ err }, "job watch failed; polling only"),
      );
    });
    return this.#withEpisode(latest ?? (await this.#queue.status(jobId)));
  }

  /** Every change of a podcast job, with its episode id. */
  async watchJobs(onChange: (job: JobStatusWithEpisode) => void): Promise<() => Promise<void>> {
    const episodes = new Map<string, string | null>();
    return this.#queue.watch(undefined, (s) => {
      if (s.name !== GENERATE_PODCAST) return;
      const known = episodes.get(s.job_id);
      const lookup = known !== undefined ? Promise.resolve(known) : this.#episodeIdOfJob(s);
      lookup.then(
        (episode_id) => {
          if (episodes.size > 10_000) episodes.clear();
          episodes.set(s.job_id, episode_id);
          onChange({ ...s, episode_id });
        },
        (err: unknown) => this.#log.debug({ err }, "job watch: episode lookup failed"),
      );
    });
  }

  /** Calls back when an episode is created or deleted (the list changed). */
  async watchEpisodeList(onChange: () => void): Promise<() => Promise<void>> {
    const sub = await this.#db.live(new Table("episode"));
    const unsubscribe = sub.subscribe((msg) => {
      if (msg.action === "CREATE" || msg.action === "DELETE") onChange();
    });
    return async () => {
      unsubscribe();
      await sub.kill();
    };
  }

  async recentJobIds(limit = 50): Promise<string[]> {
    const [rows] = await this.#db
      .query<[unknown[]]>("SELECT VALUE command FROM episode WHERE command != NONE ORDER BY created DESC LIMIT $limit", { limit: Math.min(Math.max(1, limit), 500) })
      .collect();
    return (rows ?? []).map((r) => idText(r));
  }

  async listEpisodes(opts: { limit?: number | undefined; status?: EpisodeStatus | undefined } = {}): Promise<EpisodeSummary[]> {
    const limit = Math.min(Math.max(1, Math.floor(opts.limit ?? 50)), 500);
    // Filtered in code: the status comes from the job for most episodes and from the record for
    // the CLI's, and lists are small (hundreds).
    const [rows] = await this.#db
      .query<[Record<string, unknown>[]]>(
        `SELECT id, name, status, command, command.status AS job_status, episode_profile.name AS episode_profile, duration, error, created, updated
         FROM episode ORDER BY created DESC LIMIT $limit`,
        { limit: opts.status ? 5_000 : limit },
      )
      .collect();
    const all = (rows ?? []).map((r) => {
      const p = plain<Record<string, unknown>>(r);
      return {
        id: String(p.id),
        name: String(p.name),
        status: episodeStatus(p.job_status, p.status),
        job_id: typeof p.command === "string" ? p.command : null,
        episode_profile: String(p.episode_profile ?? ""),
        duration: typeof p.duration === "number" ? p.duration : null,
        error: typeof p.error === "string" ? p.error : null,
        created: String(p.created),
        updated: String(p.updated),
      };
    });
    return (opts.status ? all.filter((e) => e.status === opts.status) : all).slice(0, limit);
  }

  async #jobOf(ep: EpisodeRecord): Promise<JobStatus | undefined> {
    if (!ep.command) return undefined;
    try {
      return await this.#queue.status(ep.command);
    } catch (err) {
      if (err instanceof AppError && err.kind === "not_found") return undefined;
      throw err;
    }
  }

  /** All of the episode: status and progress from its job, audio_file as an absolute path. */
  async getEpisode(id: string) {
    const ep = await loadEpisode(this.#db, id);
    const job = await this.#jobOf(ep);
    const { checkpoints, command, status, ...rest } = ep;
    return {
      ...rest,
      status: episodeStatus(job?.status, status),
      job_id: command ?? null,
      progress: job?.progress ?? null,
      error: ep.error ?? job?.error_message ?? null,
      audio_file: ep.audio_file ? this.#artifacts.path(ep.id, ep.audio_file) : null,
      checkpoints: Object.keys(checkpoints ?? {}),
    };
  }

  /** The absolute path of one of the episode's files; not_found until it has been written. */
  async artifactPath(id: string, kind: ArtifactKind): Promise<string> {
    if (!Object.hasOwn(EPISODE_FILE_NAMES, kind)) throw invalidInput("kind", `must be one of ${Object.keys(EPISODE_FILE_NAMES).join(", ")}`);
    const ep = await loadEpisode(this.#db, id);
    if (kind === "mp3" && !ep.audio_file) throw new AppError("not_found", `episode ${ep.id} has no audio yet: it is written when the episode completes`);
    return this.#artifacts.path(ep.id, kind === "mp3" ? ep.audio_file! : EPISODE_FILE_NAMES[kind]);
  }

  /** Completed episodes whose audio exists, newest first, for the RSS feed. */
  async feedEpisodes(limit = 100): Promise<FeedItem[]> {
    const [rows] = await this.#db
      .query<[Record<string, unknown>[]]>(
        "SELECT id, name, briefing, chapters, duration, audio_file, created FROM episode WHERE audio_file != NONE ORDER BY created DESC LIMIT $limit",
        { limit },
      )
      .collect();
    const out: FeedItem[] = [];
    for (const r of rows ?? []) {
      const p = plain<{ id: string; name: string; briefing?: string; chapters?: { title: string }[]; duration?: number; audio_file: string; created: string }>(r);
      try {
        const { size } = await stat(this.#artifacts.path(p.id, p.audio_file));
        const chapters = (p.chapters ?? []).map((c) => c.title).join(" · ");
        out.push({ id: p.id, name: p.name, description: chapters || p.briefing || p.name, created: p.created, duration: p.duration ?? 0, bytes: size });
      } catch {
        // The file is gone (deleted by hand): leave the episode out of the feed.
      }
    }
    return out;
  }

  /**
   * A new job on the same episode, resuming from its checkpoints and the speech cache. Allowed for
   * failed and canceled episodes, and running ones whose worker died (expired lease: that job is
   * put back rather than doubled). A completed one only with force, which also drops its
   * checkpoints so the script is written again (spoken turns that come out the same stay cached).
   */
  async retryEpisode(id: string, force = false): Promise<SubmitResult> {
    const ep = await loadEpisode(this.#db, id);
    const job = await this.#jobOf(ep);
    const status = episodeStatus(job?.status, ep.status);
    const rid = parseRecordId("episode", ep.id, "episode_id");
    const submitted = (jobId: string, how: string): SubmitResult => ({
      job_id: jobId,
      episode_id: ep.id,
      status: "submitted",
      message: `Episode "${ep.name}" ${how} as job ${jobId}; finished stages are reused. Follow it with get_job_status.`,
      episode_profile: ep.episode_profile.name,
      episode_name: ep.name,
    });

    if (status === "completed" && !force) {
      throw new AppError("conflict", `episode ${ep.id} is completed; pass force: true to make it again`, { field: "episode_id" });
    }
    if (job && status === "pending") {
      throw new AppError("conflict", `episode ${ep.id} is already queued as job ${job.job_id}`, { field: "episode_id" });
    }
    if (job && status === "running") {
      const expired = job.lease_until !== null && Date.parse(job.lease_until) < Date.now();
      if (!expired) {
        throw new AppError("conflict", `episode ${ep.id} is running as job ${job.job_id}; cancel it first, or wait for it to finish`, { field: "episode_id" });
      }
      const requeued = await this.#queue.requeue(job.job_id);
      await this.#linkJob(rid, requeued.job_id);
      return submitted(requeued.job_id, "is queued again (its worker had stopped)");
    }
    if (status === "completed") await clearCheckpoints(this.#db, rid);
    const { job_id } = await this.#queue.submit(GENERATE_PODCAST, { episode_id: ep.id });
    await this.#linkJob(rid, job_id);
    return submitted(job_id, status === "completed" ? "is being made again" : "is resumed");
  }

  /** Cancels its job if it still runs, removes its files and its record; not_found when there is none. */
  async deleteEpisode(id: string): Promise<{ episode_id: string; deleted: boolean }> {
    const ep = await loadEpisode(this.#db, id);
    const rid = parseRecordId("episode", ep.id, "episode_id");
    const job = await this.#jobOf(ep);
    if (job && !FINISHED.has(job.status)) await this.#queue.cancel(job.job_id);
    await write(this.#db, "DELETE $id", { id: rid });
    await this.#artifacts.remove(ep.id);
    return { episode_id: ep.id, deleted: true };
  }
}
