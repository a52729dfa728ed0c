// The podcast service: everything the MCP tools and resources do, without MCP. It validates,
// writes records, submits jobs and reads state; it never runs the pipeline (workers do, through
// src/maker). Every id from a caller goes through a strict parser and into bound variables. Jobs
// are read and changed only through the queue's own methods; episodes only through the store.
import type { Config } from "../config.js";
import { isFinished } from "../core/enums.js";
import { idText, parseJobId, parseRecordId } from "../core/ids.js";
import { writeRetrying } from "../core/resilience/conflict.js";
import type { Db } from "../db/index.js";
import { AppError, invalidInput } from "../errors.js";
import type { Logger } from "../log.js";
import type { JobStatus, Queue } from "../queue/index.js";
import { createDataDirStore } from "../artifacts/data-dir-store.js";
import { objectAddress } from "../artifacts/open.js";
import type { ArtifactStore } from "../artifacts/types.js";
import { EPISODE_FILES, EpisodeFiles, type EpisodeFile, type EpisodeFileKind } from "./artifacts.js";
import { GENERATE_PODCAST } from "./commands.js";
import {
  EpisodeStore,
  statusOf,
  type EpisodeRecord,
  type EpisodeStatus,
  type EpisodeSummary,
} from "./episode-store.js";
import { describeChoice, prepareEpisode, type PreparedRequest, type VoiceCheck } from "./prepare-episode.js";
import { submitterOf, type Submitter } from "../sampling/submitter.js";
import { checkClientWriter, describeWriters, plannedWriters, type Writers } from "../sampling/writer-choice.js";
import * as notebooks from "./notebooks.js";
import type { Flat } from "./plain.js";
import * as profiles from "./profiles.js";
import { ProfileCache } from "./profile-cache.js";
import { seedProfiles } from "./seed.js";

export interface PodcastServiceDeps {
  db: Db;
  queue: Queue;
  config: Config;
  log: Logger;
  /** Checks a speaker profile's voices against their providers (src/providers). */
  checkVoices: VoiceCheck;
  /** Where episode files are (default: the data dir). */
  artifacts?: ArtifactStore;
  /** The MCP session calling now (see forSubmitter); absent outside MCP. */
  submitter?: (() => Submitter | undefined) | undefined;
  /** Profiles as submissions read them (one per process, shared by every session's service). */
  profileCache?: ProfileCache;
}

export type { EpisodeStatus, EpisodeSummary };
export type JobStatusWithEpisode = Flat<Omit<JobStatus, "args"> & { episode_id: string | null }>;

export type SubmitResult = {
  job_id: string;
  episode_id: string;
  status: "submitted";
  message: string;
  episode_profile: string;
  episode_name: string;
};

export interface FeedItem {
  id: string;
  name: string;
  description: string;
  created: string;
  duration: number;
  bytes: number;
}

export class PodcastService {
  readonly #db: Db;
  readonly #queue: Queue;
  readonly #config: Config;
  readonly #log: Logger;
  readonly #files: EpisodeFiles;
  readonly #checkVoices: VoiceCheck;
  readonly #episodes: EpisodeStore;
  readonly #deps: PodcastServiceDeps;
  readonly #profileCache: ProfileCache;

  constructor(deps: PodcastServiceDeps) {
    this.#profileCache = deps.profileCache ?? new ProfileCache(deps.db, deps.log);
    this.#deps = { ...deps, profileCache: this.#profileCache };
    this.#db = deps.db;
    this.#queue = deps.queue;
    this.#config = deps.config;
    this.#log = deps.log.child({ part: "podcasts" });
    this.#files = new EpisodeFiles(deps.artifacts ?? createDataDirStore(deps.config.dataDir));
    this.#checkVoices = deps.checkVoices;
    this.#episodes = new EpisodeStore(deps.db);
  }

  /**
   * The same service for one MCP session: episodes it submits or retries record who did, so their
   * writer can ask that client's model (writer "client", or "auto" with no LLM configured).
   */
  forSubmitter(submitter: () => Submitter | undefined): PodcastService {
    return new PodcastService({ ...this.#deps, submitter });
  }

  /** Seeds the default profiles (only those missing) and starts the profile cache. Run after migrations. */
  async init(): Promise<void> {
    const created = await seedProfiles(this.#db);
    if (created > 0) this.#log.info({ created }, "seeded default profiles");
    await this.#profileCache.start();
  }

  /** Stops what init started. */
  async close(): Promise<void> {
    await this.#profileCache.stop();
  }

  // ---------- profiles ----------

  async listProfiles() {
    const [episode_profiles, speaker_profiles] = await Promise.all([
      profiles.listEpisodeProfiles(this.#db),
      profiles.listSpeakerProfiles(this.#db),
    ]);
    return { episode_profiles, speaker_profiles };
  }

  getEpisodeProfile(name: string) {
    return profiles.getEpisodeProfile(this.#db, name);
  }

  getSpeakerProfile(name: string) {
    return profiles.getSpeakerProfile(this.#db, name);
  }

  async saveEpisodeProfile(input: unknown) {
    const saved = await profiles.saveEpisodeProfile(this.#db, profiles.parseEpisodeProfile(input));
    this.#profileCache.clear(); // this process sees its own save at once, whatever the LIVE query's pace
    return saved;
  }

  /** Voices are checked for their providers (as "auto" resolves now) before anything is written. */
  async saveSpeakerProfile(input: unknown) {
    const profile = profiles.parseSpeakerProfile(input);
    await this.#checkVoices(profile);
    const saved = await profiles.saveSpeakerProfile(this.#db, profile);
    this.#profileCache.clear();
    return saved;
  }

  // ---------- notebooks ----------

  createNotebook(input: unknown) {
    return notebooks.createNotebook(this.#db, input);
  }

  addSource(notebookId: string, source: unknown) {
    return notebooks.addSource(this.#db, notebookId, source, this.#config.exposure, [this.#config.dataDir]);
  }

  listNotebooks() {
    return notebooks.listNotebooks(this.#db);
  }

  getNotebook(id: string) {
    return notebooks.getNotebook(this.#db, id);
  }

  // ---------- episodes and jobs ----------

  /**
   * Checks everything (profiles, voices, content, script), then writes the episode and its job in
   * one transaction: both appear together or not at all, in one round trip.
   */
  async submitEpisode(input: unknown): Promise<SubmitResult> {
    const prepared = await prepareEpisode(this.#db, this.#config, this.#checkVoices, input, this.#profileCache);
    const by = this.#deps.submitter?.();
    const hasScript = prepared.episode.script !== undefined;
    checkClientWriter(prepared.episode.episode_profile, hasScript, by);
    const episode = this.#episodes.newId();
    const job = this.#queue.prepare(GENERATE_PODCAST, { episode_id: idText(episode) });
    const create = this.#episodes.createStatement(prepared.episode, job.id, by);
    await writeRetrying(this.#db, `BEGIN TRANSACTION; ${job.sql}; ${create.sql}; COMMIT TRANSACTION;`, {
      ...job.vars,
      ...create.vars,
      episode,
    });
    const episodeId = idText(episode);
    const chose = describeChoice(prepared);
    return {
      job_id: job.jobId,
      episode_id: episodeId,
      status: "submitted",
      message:
        `Episode "${prepared.episode.name}" is queued as job ${job.jobId}${chose}. Follow it with get_job_status ` +
        `(or subscribe to podcast://jobs/${job.jobId}); when it completes, read podcast://episodes/${episodeId}.` +
        describeWriters(plannedWriters(prepared.episode.episode_profile, hasScript, this.#config, by)),
      episode_profile: prepared.episode.episode_profile.name,
      episode_name: prepared.episode.name,
    };
  }

  /**
   * A generate request checked and its content extracted, as submitEpisode would, with nothing
   * written; and the writers this server would use for it (get_script_brief).
   */
  async previewEpisode(input: unknown): Promise<PreparedRequest & { writers: Writers }> {
    const prepared = await prepareEpisode(this.#db, this.#config, this.#checkVoices, input, this.#profileCache);
    const hasScript = prepared.episode.script !== undefined;
    const writers = plannedWriters(prepared.episode.episode_profile, hasScript, this.#config, this.#deps.submitter?.());
    return { ...prepared, writers };
  }

  /** The job as callers see it: with its episode (from its own arguments: no second read). */
  #withEpisode(status: JobStatus): JobStatusWithEpisode {
    const { args, ...rest } = status;
    const id = (args as { episode_id?: unknown } | null)?.episode_id;
    return { ...rest, episode_id: typeof id === "string" ? id : null };
  }

  async jobStatus(jobId: string): Promise<JobStatusWithEpisode> {
    return this.#withEpisode(await this.#queue.status(parseJobId(jobId)));
  }

  async cancelJob(jobId: string): Promise<JobStatusWithEpisode> {
    return this.#withEpisode(await this.#queue.cancel(parseJobId(jobId)));
  }

  /**
   * Holds until the job's status differs from `now`, the time passes or the signal fires;
   * `onChange` sees every progress change meanwhile (progress notifications to the caller), so one
   * long wait covers a whole running phase. LIVE query first, a 1 s poll as backstop (LIVE
   * notifications are not replayed after a reconnect).
   */
  async waitForJobChange(
    jobId: string,
    now: Pick<JobStatus, "status" | "progress">,
    waitMs: number,
    signal: AbortSignal,
    onChange: (s: JobStatus) => unknown,
  ): Promise<JobStatusWithEpisode> {
    parseJobId(jobId);
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
        (stop) => {
          if (done) void stop().catch(() => {});
          else stopWatch = stop;
        },
        (err: unknown) => this.#log.debug({ err }, "job watch failed; polling only"),
      );
    });
    return this.#withEpisode(latest ?? (await this.#queue.status(jobId)));
  }

  /** Every change of a podcast job, with its episode id. */
  async watchJobs(onChange: (job: JobStatusWithEpisode) => void): Promise<() => Promise<void>> {
    // Filtered by name in the database: other commands' changes are neither sent nor decoded.
    return this.#queue.watch(undefined, (s) => onChange(this.#withEpisode(s)), { name: GENERATE_PODCAST });
  }

  /** Calls back when an episode is created or deleted (the list changed). */
  watchEpisodeList(onChange: () => void): Promise<() => Promise<void>> {
    return this.#episodes.watchList(onChange);
  }

  recentJobIds(limit = 50): Promise<string[]> {
    return this.#episodes.recentJobIds(Math.min(Math.max(1, limit), 500));
  }

  async listEpisodes(
    opts: { limit?: number | undefined; status?: EpisodeStatus | undefined } = {},
  ): Promise<EpisodeSummary[]> {
    const limit = Math.min(Math.max(1, Math.floor(opts.limit ?? 50)), 500);
    // Filtered by status in code: the status is the job's, and lists are hundreds, not millions.
    const rows = await this.#episodes.list(opts.status ? 5_000 : limit);
    const jobs = await this.#queue.statuses(rows.flatMap((r) => (r.command ? [r.command] : [])));
    const all = rows.map(({ command, audio_file, ...r }) => {
      const { status, error } = statusOf({ command, audio_file }, command ? jobs.get(command) : undefined);
      return { ...r, status, job_id: command ?? null, error };
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

  /**
   * All of the episode: status, progress and error from its job; audio_file is the MP3's absolute
   * path on this machine, or its s3://bucket/key when files are in a bucket (null until written).
   */
  async getEpisode(id: string) {
    const ep = await this.#episodes.load(id);
    const job = await this.#jobOf(ep);
    const { checkpoints, command, files, submitted_by, ...rest } = ep;
    const { status, error } = statusOf(ep, job);
    const by = submitterOf(submitted_by);
    return {
      ...rest,
      // The session key is for this server's processes only.
      ...(by ? { submitted_by: { client: by.client, sampling: by.sampling } } : {}),
      status,
      job_id: command ?? null,
      progress: job?.progress ?? null,
      error,
      audio_file: ep.audio_file ? await this.#audioAddress(ep.id, files ?? "") : null,
      checkpoints: Object.keys(checkpoints ?? {}),
    };
  }

  /** The MP3's absolute path on this machine, or its s3:// address when files are in a bucket. */
  async #audioAddress(id: string, folder: string): Promise<string> {
    const f = await this.#files.file(id, folder, "mp3");
    return f.localPath ?? objectAddress(this.#config.artifacts, f.key);
  }

  /** One of the episode's files on the store; not_found, saying why, until it has been written. */
  async episodeFile(
    id: string,
    kind: EpisodeFileKind,
  ): Promise<EpisodeFile & { info: NonNullable<EpisodeFile["info"]> }> {
    if (!Object.hasOwn(EPISODE_FILES, kind))
      throw invalidInput("kind", `must be one of ${Object.keys(EPISODE_FILES).join(", ")}`);
    const ep = await this.#episodes.load(id);
    const what = kind === "mp3" ? "audio" : "transcript";
    if (!ep.audio_file) {
      const { status, error } = statusOf(ep, await this.#jobOf(ep));
      const why =
        status === "failed" || status === "canceled"
          ? `it ${status}${error ? `: ${error}` : ""}`
          : `it is ${status}; its files are written when it completes`;
      throw new AppError("not_found", `episode ${ep.id} has no ${what}: ${why}`);
    }
    const file = await this.#files.file(ep.id, ep.files ?? "", kind);
    if (!file.info)
      throw new AppError(
        "not_found",
        `episode ${ep.id} has no ${what} on the artifact store (${file.key}): it was removed`,
      );
    return { ...file, info: file.info };
  }

  /** The whole file (transcripts; audio small enough for one message). */
  async readEpisodeFile(id: string, kind: EpisodeFileKind): Promise<Buffer> {
    const ep = await this.#episodes.load(id);
    await this.episodeFile(id, kind);
    const bytes = await this.#files.get(ep.id, ep.files ?? "", kind);
    if (!bytes)
      throw new AppError("not_found", `episode ${ep.id}: its ${EPISODE_FILES[kind]} is gone from the artifact store`);
    return bytes;
  }

  /** A URL that reads the file without credentials for `ttlSeconds` (S3-compatible stores only). */
  async presignEpisodeFile(id: string, kind: EpisodeFileKind, ttlSeconds: number): Promise<string | undefined> {
    const ep = await this.#episodes.load(id);
    return this.#files.presign(ep.id, ep.files ?? "", kind, ttlSeconds);
  }

  /** Completed episodes whose audio exists, newest first, for the RSS feed. */
  async feedEpisodes(limit = 100): Promise<FeedItem[]> {
    const out: FeedItem[] = [];
    for (const e of await this.#episodes.withAudio(limit)) {
      const { info } = await this.#files.file(e.id, e.files, "mp3");
      // The file is gone (deleted by hand): leave the episode out of the feed.
      if (!info) continue;
      const chapters = e.chapters.map((c) => c.title).join(" · ");
      out.push({
        id: e.id,
        name: e.name,
        description: chapters || e.name,
        created: e.created,
        duration: e.duration,
        bytes: info.size,
      });
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
    const ep = await this.#episodes.load(id);
    const job = await this.#jobOf(ep);
    const { status } = statusOf(ep, job);
    const submitted = (jobId: string, how: string): SubmitResult => ({
      job_id: jobId,
      episode_id: ep.id,
      status: "submitted",
      message: `Episode "${ep.name}" ${how} as job ${jobId}; finished stages are reused. Follow it with get_job_status.`,
      episode_profile: ep.episode_profile.name,
      episode_name: ep.name,
    });

    if (status === "completed" && !force) {
      throw new AppError("conflict", `episode ${ep.id} is completed; pass force: true to make it again`, {
        field: "episode_id",
      });
    }
    if (job && status === "pending") {
      throw new AppError("conflict", `episode ${ep.id} is already queued as job ${job.job_id}`, {
        field: "episode_id",
      });
    }
    if (job && status === "running") {
      const expired = job.lease_until !== null && Date.parse(job.lease_until) < Date.now();
      if (!expired) {
        throw new AppError(
          "conflict",
          `episode ${ep.id} is running as job ${job.job_id}; cancel it first, or wait for it to finish`,
          { field: "episode_id" },
        );
      }
      const requeued = await this.#queue.requeue(job.job_id);
      return submitted(requeued.job_id, "is queued again (its worker had stopped)");
    }
    // The session that retries is the one a "client" writer asks from now on.
    const by = this.#deps.submitter?.();
    checkClientWriter(ep.episode_profile, ep.script !== undefined, by);
    // One transaction: the new job, and the episode pointed at it (its checkpoints dropped when forced).
    const next = this.#queue.prepare(GENERATE_PODCAST, { episode_id: ep.id });
    const relink = this.#episodes.relinkStatement(status === "completed", by !== undefined);
    await writeRetrying(this.#db, `BEGIN TRANSACTION; ${next.sql}; ${relink}; COMMIT TRANSACTION;`, {
      ...next.vars,
      episode: parseRecordId("episode", ep.id, "episode_id"),
      ...(by ? { submitted_by: by } : {}),
    });
    return submitted(next.jobId, status === "completed" ? "is being made again" : "is resumed");
  }

  /** Cancels its job if it still runs, removes its files and its record; not_found when there is none. */
  async deleteEpisode(id: string): Promise<{ episode_id: string; deleted: boolean }> {
    const ep = await this.#episodes.load(id);
    const job = await this.#jobOf(ep);
    if (job && !isFinished(job.status)) await this.#queue.cancel(job.job_id);
    await this.#episodes.delete(ep.id);
    await this.#files.removeEpisode(ep.id);
    return { episode_id: ep.id, deleted: true };
  }
}
