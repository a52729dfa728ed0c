// Episode files (audio, transcripts) addressed by episode id, never by a path a caller supplies.
// The default store is the data dir: <dataDir>/episodes/<id>/. A store shared by several machines
// (S3-compatible) would implement the same three calls.
import { rm } from "node:fs/promises";
import path from "node:path";
import { invalidInput } from "../errors.js";
import { recordIdPattern } from "../db/record-key.js";

export interface ArtifactStore {
  /** The episode's directory (not created here: the pipeline creates it when it writes). */
  dirFor(episodeId: string): string;
  /** One file of the episode, by its plain file name (e.g. "audio.mp3"). */
  path(episodeId: string, name: string): string;
  /** Remove every file of the episode; no error when there are none. */
  remove(episodeId: string): Promise<void>;
}

const ID = recordIdPattern("episode", true);
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** The bare id, or invalid_input: nothing but letters, digits and _ ever reaches a path. */
export function safeEpisodeDirName(episodeId: string): string {
  const m = ID.exec(episodeId);
  if (!m) throw invalidInput("episode_id", "must be an id like episode:abc123 (letters, digits and _ only)");
  return m[1]!;
}

export function createFileArtifactStore(dataDir: string): ArtifactStore {
  const root = path.resolve(dataDir, "episodes");
  const dirFor = (episodeId: string) => path.join(root, safeEpisodeDirName(episodeId));
  return {
    dirFor,
    path(episodeId, name) {
      if (!FILE_NAME.test(name) || name.includes("..")) throw invalidInput("name", "must be a plain file name (letters, digits, _ . -)");
      return path.join(dirFor(episodeId), name);
    },
    async remove(episodeId) {
      await rm(dirFor(episodeId), { recursive: true, force: true });
    },
  };
}
