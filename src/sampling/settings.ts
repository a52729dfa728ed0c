// How long the sampling path waits. Read from the environment by the two processes that use it
// (the worker that asks, the server that answers), with the same rules as src/config.ts: a bad
// value stops the program with a message naming the variable.
import { ConfigError } from "../errors.js";

export interface SamplingSettings {
  /**
   * A request that no server claims for this long has no live session to go to: the job fails,
   * saying so. A live session's server claims within milliseconds (LIVE query) or one poll; 60 s
   * also covers the local daemon restarting under a connected server (measured: back in 2-3.5 s).
   */
  claimWaitMs: number;
  /**
   * How long one client may take to answer one request. Clients may ask their user to approve each
   * request before their model writes, so this is minutes, not the SDK's 60 s default.
   */
  answerTimeoutMs: number;
  /** The backstop for the LIVE queries (their notifications are not replayed after a reconnect). */
  pollMs: number;
}

export const SAMPLING_DEFAULTS: SamplingSettings = { claimWaitMs: 60_000, answerTimeoutMs: 10 * 60_000, pollMs: 1_000 };

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

function duration(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const m = DURATION.exec(raw);
  const ms = m ? Math.round(Number(m[1]) * UNIT_MS[(m[2] ?? "s") as keyof typeof UNIT_MS]) : NaN;
  if (!(ms >= min)) {
    throw new ConfigError(
      `Invalid configuration:\n  ${name}: must be a duration such as 90s, 10m or 500ms, at least ${min} ms ` +
        `(got ${JSON.stringify(raw)})`,
    );
  }
  return ms;
}

/** PODCAST_MCP_SAMPLING_WAIT (default 60s) and PODCAST_MCP_SAMPLING_TIMEOUT (default 10m). */
export function samplingSettings(env: NodeJS.ProcessEnv = process.env): SamplingSettings {
  return {
    claimWaitMs: duration(env, "PODCAST_MCP_SAMPLING_WAIT", SAMPLING_DEFAULTS.claimWaitMs, 100),
    answerTimeoutMs: duration(env, "PODCAST_MCP_SAMPLING_TIMEOUT", SAMPLING_DEFAULTS.answerTimeoutMs, 1_000),
    pollMs: SAMPLING_DEFAULTS.pollMs,
  };
}
