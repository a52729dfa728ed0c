// Every closed list of names the system uses, defined once. Zod schemas, TypeScript types and the
// SQL ASSERTs of the schema are all built from these arrays, so adding a status or a provider is
// one edit here.

/** A job's life: pending → running → completed | failed | canceled. */
export const JOB_STATUSES = ["pending", "running", "completed", "failed", "canceled"] as const;
export type JobStatusName = (typeof JOB_STATUSES)[number];

/** The statuses a job never leaves. */
export const FINISHED_STATUSES = ["completed", "failed", "canceled"] as const satisfies readonly JobStatusName[];
export type FinishedStatus = (typeof FINISHED_STATUSES)[number];

export function isFinished(status: string): status is FinishedStatus {
  return (FINISHED_STATUSES as readonly string[]).includes(status);
}

/**
 * Script writers a profile may name; "auto" resolves at run time (see the providers' registry).
 * "client": the model of the MCP client that submitted the episode, asked through MCP sampling.
 */
export const LLM_PROVIDERS = ["auto", "openai", "builtin", "client"] as const;
export type LlmProviderName = (typeof LLM_PROVIDERS)[number];

/** Voice providers a profile may name. */
export const TTS_PROVIDERS = ["auto", "openai", "elevenlabs", "builtin"] as const;
export type TtsProviderName = (typeof TTS_PROVIDERS)[number];
export type ConcreteTtsProvider = Exclude<TtsProviderName, "auto">;

/** `['a', 'b']` for a SurrealQL `ASSERT $value IN …`. The names are our own constants, never input. */
export function sqlList(values: readonly string[]): string {
  return `[${values.map((v) => `'${v}'`).join(", ")}]`;
}
