// How long the sampling path waits: the worker that asks and the server that answers read the same
// settings from the config (PODCAST_MCP_SAMPLING_WAIT, default 60 s; PODCAST_MCP_SAMPLING_TIMEOUT, 10 min).

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

/** The LIVE queries' backstop. The waits come from src/config.ts (PODCAST_MCP_SAMPLING_WAIT, _TIMEOUT). */
export const SAMPLING_POLL_MS = 1_000;
