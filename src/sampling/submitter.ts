// Who submitted an episode, as the episode records it: which MCP session (so a worker can address
// sampling requests to it), which client, and whether that client can be asked to write.
import { z } from "zod";

export const Submitter = z.object({
  /** The server process's key for the MCP session: random, never shown to clients. */
  session: z.string(),
  /** The client's name and version, as it gave them at initialize ("claude-ai 0.1.0"). */
  client: z.string(),
  /** The client declared sampling on a session that can be asked (2025-era, initialized). */
  sampling: z.boolean(),
});
export type Submitter = z.infer<typeof Submitter>;

/** The recorded value, checked: a record from before sampling existed (or a hand edit) reads as none. */
export function submitterOf(value: unknown): Submitter | undefined {
  const parsed = Submitter.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
