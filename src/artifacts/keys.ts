// Artifact keys: "/"-separated segments of letters, digits, _ . - that start with a letter, digit
// or _. So no key is absolute, none holds "." or ".." as a segment (nor ".." anywhere), and none
// names a hidden file: a key can never leave the data dir or the bucket prefix, and never meets
// the data-dir store's temp files (which start with ".").
import { invalidInput } from "../errors.js";

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** S3 allows 1,024 bytes per key; this leaves room for a bucket prefix. */
export const MAX_KEY_LENGTH = 512;

const KEY_RULE = "must be segments of letters, digits, _ . - joined by / (no leading /, no ..)";

/** The key itself, or invalid_input naming `field`. */
export function checkKey(key: string, field = "key"): string {
  if (typeof key !== "string" || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw invalidInput(field, `must be 1 to ${MAX_KEY_LENGTH} characters`);
  }
  if (key.includes("..") || !key.split("/").every((s) => SEGMENT.test(s))) throw invalidInput(field, KEY_RULE);
  return key;
}

/** A prefix for deletePrefix: a valid key followed by "/", so "episodes/a/" never takes "episodes/ab/". */
export function checkPrefix(prefix: string, field = "prefix"): string {
  if (typeof prefix !== "string" || !prefix.endsWith("/")) throw invalidInput(field, "must end with /");
  checkKey(prefix.slice(0, -1), field);
  return prefix;
}

/** A bare episode id (the part after "episode:"): letters, digits and _ only. */
const EPISODE_DIR = /^[A-Za-z0-9_]{1,128}$/;
/** sha256 hex, as speechCacheKey makes it (the existing cache accepts 32 to 128 hex digits). */
const CLIP_HASH = /^[a-f0-9]{32,128}$/;

/** `episodes/<id>/`: the prefix that deletePrefix takes to remove an episode. */
export function episodePrefix(episodeDir: string): string {
  if (!EPISODE_DIR.test(episodeDir)) throw invalidInput("episode_id", "must be letters, digits and _ only");
  return `episodes/${episodeDir}/`;
}

/** `episodes/<id>/<name>`, e.g. name "audio.mp3" or "transcript.vtt": the data dir's layout. */
export function episodeKey(episodeDir: string, name: string): string {
  return checkKey(`${episodePrefix(episodeDir)}${name}`, "name");
}

/** `cache/tts/<hash>.pcm`: one speech clip, content-addressed (see speech-clips.ts). */
export function speechClipKey(hash: string): string {
  if (!CLIP_HASH.test(hash)) throw invalidInput("key", "must be a lowercase hex hash (32 to 128 digits)");
  return `cache/tts/${hash}.pcm`;
}
