// What the local DB host lets a connection cost it. Every local user can reach the loopback port,
// and before this host limited anything, `attach` before sign-in (30,000 sessions: RSS 164 → 373
// MB, 302 MB still held after the sockets closed) and a 60 MB `let` on 8 connections (peak 2.1 GB)
// cost the host memory without the secret. Now nothing reaches the engine before sign-in (see
// host-connection.ts), and these bound what an unsigned connection can make the host hold.

export interface HostLimits {
  /** Open WebSocket connections, signed in or not. A machine's servers and workers use a few dozen. */
  maxConnections: number;
  /** Connections not yet signed in. Ours sign in within milliseconds of opening. */
  maxUnauthenticated: number;
  /** Bytes a connection may send before it has signed in, frames included. The SDK sends ~200. */
  preAuthBytes: number;
  /** Requests a connection may send before it signs in (version, use, one let per variable, signin). */
  preAuthRequests: number;
  /** A connection that has not signed in by then is closed. */
  signinTimeoutMs: number;
  /** Engine sessions one connection may hold, its own included (the SDK's newSession adds one each). */
  maxSessions: number;
  /** One message after sign-in: a ready script may be 2,000 turns × 4,000 characters (≤ 32 MB of UTF-8). */
  maxMessageBytes: number;
}

export const DEFAULT_HOST_LIMITS: HostLimits = {
  maxConnections: 128,
  maxUnauthenticated: 16,
  preAuthBytes: 64 * 1024,
  preAuthRequests: 32,
  signinTimeoutMs: 10_000,
  maxSessions: 32,
  maxMessageBytes: 64 * 1024 * 1024,
};

/** Refusals, in SurrealDB's RPC error shape, that tell the client which limit it hit. */
export const limitMessage = {
  sessions: (max: number) => `Too many sessions on one connection: at most ${max}; detach one first`,
  preAuthRequests: (max: number) => `Too many requests before sign-in: at most ${max}; sign in first`,
  preAuthBytes: (max: number) => `more than ${max} bytes before sign-in`,
  signinTimeout: (ms: number) => `no sign-in within ${ms} ms`,
} as const;
