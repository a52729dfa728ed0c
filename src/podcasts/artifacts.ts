// Episode files (audio, transcripts) addressed by episode id, never by a path a caller supplies.
// The default store is the data dir: <dataDir>/episodes/<id>/<run folder>/<file>. Each run of an
// episode writes into a folder of its own, published by the run's fenced final write, so a stale
// worker can never overwrite what its successor published.
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { recordIdPattern } from "../core/ids.js";
import { invalidInput } from "../errors.js";

export { EPISODE_FILES, type EpisodeFileKind } from "../core/episode-files.js";

export interface ArtifactStore {
  /** The episode's folder for one run ("" = the episode's own folder, as episodes made before run folders). */
  dirFor(episodeId: string, folder?: string): string;
  /** One file of the episode by its plain file name (e.g. "audio.mp3"), in a run folder. */
  path(episodeId: string, folder: string, name: string): string;
  /** Remove every file of the episode; no error when there are none. */
  remove(episodeId: string): Promise<void>;
  /** Remove the episode's run folders other than `keep`. */
  removeOtherRuns(episodeId: string, keep: string): Promise<void>;
}

const ID = recordIdPattern("episode", true);
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** The bare id, or invalid_input: nothing but letters, digits and _ ever reaches a path. */
export function safeEpisodeDirName(episodeId: string): string {
  const m = ID.exec(episodeId);
  if (!m) throw invalidInput("episode_id", "must be an id like episode:abc123 (letters, digits and _ only)");
  return m[1]!;
}

function plainName(name: string, field: string): string {
  if (!NAME.test(name) || name.includes("..")) throw invalidInput(field, "must be a plain file name (letters, digits, _ . -)");
  return name;
}

export function createFileArtifactStore(dataDir: string): ArtifactStore {
  const root = path.resolve(dataDir, "episodes");
  const dirFor = (episodeId: string, folder = "") =>
    path.join(root, safeEpisodeDirName(episodeId), ...(folder ? [plainName(folder, "folder")] : []));
  return {
    dirFor,
    path: (episodeId, folder, name) => path.join(dirFor(episodeId, folder), plainName(name, "name")),
    async remove(episodeId) {
      await rm(dirFor(episodeId), { recursive: true, force: true });
    },
    async removeOtherRuns(episodeId, keep) {
      const entries = await readdir(dirFor(episodeId), { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        if (e.isDirectory() && e.name !== keep && e.name.startsWith(RUN_PREFIX)) await rm(path.join(dirFor(episodeId), e.name), { recursive: true, force: true });
      }
    },
  };
}

export const RUN_PREFIX = "run-";

/** The folder one run writes into: its job and attempt, so no two runs share one. */
export function runFolder(jobKey: string, attempt: number): string {
  return plainName(`${RUN_PREFIX}${jobKey}-${attempt}`, "folder");
}
