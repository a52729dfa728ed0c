// An episode's files on the artifact store (src/artifacts: the data dir, or an S3-compatible bucket
// that several machines share), addressed by episode id and kind, never by a path a caller supplies.
// Keys: episodes/<id>/<run folder>/<file>. Each run of an episode writes into a folder of its own,
// published by the run's fenced final write, so a stale worker can never overwrite what its
// successor published; episodes made before run folders keep their files at episodes/<id>/<file>.
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { ArtifactInfo, ArtifactStore, ByteRange } from "../artifacts/types.js";
import { contentTypeFor } from "../artifacts/content-type.js";
import { checkKey, episodePrefix } from "../artifacts/keys.js";
import { EPISODE_FILES, type EpisodeFileKind } from "../core/episode-files.js";
import { recordIdPattern } from "../core/ids.js";
import { invalidInput } from "../errors.js";

export { EPISODE_FILES, type EpisodeFileKind };

const ID = recordIdPattern("episode", true);

/** The bare id, or invalid_input: nothing but letters, digits and _ ever reaches a key. */
export function safeEpisodeDirName(episodeId: string): string {
  const m = ID.exec(episodeId);
  if (!m) throw invalidInput("episode_id", "must be an id like episode:abc123 (letters, digits and _ only)");
  return m[1]!;
}

export const RUN_PREFIX = "run-";

/** The folder one run writes into: its job and attempt, so no two runs share one. */
export function runFolder(jobKey: string, attempt: number): string {
  return checkKey(`${RUN_PREFIX}${jobKey}-${attempt}`, "folder");
}

/** Where an episode's file is: its key, and whether (and how big, how fresh) it exists. */
export interface EpisodeFile {
  key: string;
  info: ArtifactInfo | undefined;
  /** The file on this machine (data-dir store only). */
  localPath: string | undefined;
  open(range?: ByteRange): Promise<NodeJS.ReadableStream>;
}

export class EpisodeFiles {
  constructor(readonly store: ArtifactStore) {}

  key(episodeId: string, folder: string, name: string): string {
    const prefix = episodePrefix(safeEpisodeDirName(episodeId));
    return checkKey(`${prefix}${folder ? `${checkKey(folder, "folder")}/` : ""}${name}`, "name");
  }

  async file(episodeId: string, folder: string, kind: EpisodeFileKind): Promise<EpisodeFile> {
    const key = this.key(episodeId, folder, EPISODE_FILES[kind]);
    return {
      key,
      info: await this.store.head(key),
      localPath: this.store.localPath?.(key),
      open: (range) => this.store.open(key, range),
    };
  }

  get(episodeId: string, folder: string, kind: EpisodeFileKind): Promise<Buffer | undefined> {
    return this.store.get(this.key(episodeId, folder, EPISODE_FILES[kind]));
  }

  presign(episodeId: string, folder: string, kind: EpisodeFileKind, ttlSeconds: number): Promise<string> | undefined {
    return this.store.presignGet?.(this.key(episodeId, folder, EPISODE_FILES[kind]), ttlSeconds);
  }

  /**
   * The local folder a run's pipeline writes into: the final folder itself on the data dir (so
   * publishing moves nothing), else a scratch folder under `scratchRoot` that publish uploads.
   */
  async runDir(episodeId: string, folder: string, scratchRoot: string): Promise<string> {
    const inPlace = this.store.localPath?.(this.key(episodeId, folder, EPISODE_FILES.mp3));
    const dir = inPlace ? path.dirname(inPlace) : path.join(scratchRoot, `${safeEpisodeDirName(episodeId)}-${folder}`);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /** Puts a run's files on the store, transcripts first and the audio last (its presence means "all there"). */
  async publish(episodeId: string, folder: string, localDir: string): Promise<void> {
    for (const kind of ["json", "vtt", "md", "mp3"] as const) {
      const name = EPISODE_FILES[kind];
      await this.store.putFile(this.key(episodeId, folder, name), path.join(localDir, name), {
        contentType: contentTypeFor(name),
      });
    }
  }

  /** Drops the local folder of a run that is not in place on the store (a scratch folder). */
  async dropScratch(episodeId: string, folder: string, localDir: string): Promise<void> {
    const inPlace = this.store.localPath?.(this.key(episodeId, folder, EPISODE_FILES.mp3));
    if (!inPlace || path.dirname(inPlace) !== localDir) await rm(localDir, { recursive: true, force: true });
  }

  /** Every file of one run ("": the files an episode made before run folders had, at its top). */
  async removeRun(episodeId: string, folder: string): Promise<void> {
    if (folder) return this.store.deletePrefix(`${this.key(episodeId, folder, "x").slice(0, -1)}`);
    for (const name of Object.values(EPISODE_FILES)) await this.store.delete(this.key(episodeId, "", name));
  }

  /** Every file of the episode; no error when there are none. */
  removeEpisode(episodeId: string): Promise<void> {
    return this.store.deletePrefix(episodePrefix(safeEpisodeDirName(episodeId)));
  }
}
