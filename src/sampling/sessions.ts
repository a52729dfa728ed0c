// The MCP sessions of this server process, as the sampling path sees them. Every McpServer instance
// is tracked from the start; at `initialize` (2025-era: stdio's one connection, each Streamable HTTP
// session of src/http/sessions.ts) it learns the client's name and capabilities. A session whose
// client declared `sampling` can be asked to write, and stays listed here until it closes.
// 2026-07-28 instances never initialize and have no server-to-client request channel outside a
// call, so they are never asked (their episodes record sampling: false).
import { randomUUID } from "node:crypto";
import type { CreateMessageRequestParams, CreateMessageResult, McpServer } from "@modelcontextprotocol/server";
import type { Submitter } from "./submitter.js";

export interface LiveSession {
  key: string;
  client: string;
  createMessage(
    params: Record<string, unknown>,
    opts: { signal: AbortSignal; timeoutMs: number },
  ): Promise<Record<string, unknown>>;
}

export class ClientSessions {
  readonly #live = new Map<string, LiveSession>();
  readonly #listeners = new Set<() => void>();

  /** Sessions whose clients can be asked now. */
  get size(): number {
    return this.#live.size;
  }

  keys(): string[] {
    return [...this.#live.keys()];
  }

  get(key: string): LiveSession | undefined {
    return this.#live.get(key);
  }

  /** Called when a session that can be asked opens or any closes (the responder looks for waiting requests). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Tracks one McpServer instance (before it connects). Returns who submits through it: read at
   * call time, as `initialize` comes after the instance is built.
   */
  attach(server: McpServer, era: "legacy" | "modern"): () => Submitter | undefined {
    const key = randomUUID();
    const low = server.server;
    let submitter: Submitter | undefined;
    const prevInit = low.oninitialized;
    low.oninitialized = () => {
      prevInit?.();
      const info = low.getClientVersion();
      const client = info ? `${info.name} ${info.version}` : "unknown client";
      const sampling = era === "legacy" && low.getClientCapabilities()?.sampling !== undefined;
      submitter = { session: key, client, sampling };
      if (!sampling) return;
      this.#live.set(key, {
        key,
        client,
        createMessage: async (params, opts) =>
          // One fixed bound (no reset on progress): the worker knows it and stops waiting just after.
          (await low.createMessage(params as unknown as CreateMessageRequestParams, {
            signal: opts.signal,
            timeout: opts.timeoutMs,
          })) as CreateMessageResult as unknown as Record<string, unknown>,
      });
      this.#changed();
    };
    const prevClose = low.onclose;
    low.onclose = () => {
      if (this.#live.delete(key)) this.#changed();
      prevClose?.();
    };
    return () => {
      if (submitter) return submitter;
      // Not initialized: a 2026-07-28 instance (the client is named per request) or a stateless one.
      const info = low.getClientVersion();
      return { session: key, client: info ? `${info.name} ${info.version}` : "unknown client", sampling: false };
    };
  }

  #changed(): void {
    for (const l of this.#listeners) l();
  }
}
