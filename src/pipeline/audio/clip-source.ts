// What the speech stage hands the audio stage: each turn with a way to get its audio when assembly
// reaches it, so a long episode's clips are never all in memory at once. Most clips load from the
// speech cache; a clip the cache could not store stays in memory (heldClip).
import type { Pcm, Turn } from "../../core/model.js";

export interface ClipSource {
  turn: Turn;
  /** The clip's audio; may be called more than once. */
  load(): Promise<Pcm>;
}

export function heldClip(pcm: Pcm, turn: Turn): ClipSource {
  return { turn, load: async () => pcm };
}
