// The worker's side of sampling. A worker holds no MCP session, so it asks through the database: it
// writes a request for the session that submitted the job, waits on a LIVE query (with a poll as
// backstop) while the server process holding that session asks its client, reads the answer and
// removes the request. If no server claims the request within the wait, the session is gone: the
// job fails, saying so and what to do (retry_episode resumes from the checkpoints).
// No MCP SDK here: workers do not load it.
import { AppError, type ErrorKind } from "../errors.js";
import type { Logger } from "../log.js";
import { canceledError } from "../core/resilience/sleep.js";
import type { ClientModel, ClientModelReply, ClientModelRequest } from "../providers/writer/client-writer.js";
import type { SamplingRequests, SamplingRow, SamplingTarget } from "./requests.js";
import type { SamplingSettings } from "./settings.js";

const KINDS: readonly ErrorKind[] = [
  "provider_permanent",
  "provider_transient",
  "provider_auth",
  "canceled",
  "internal",
  "invalid_input",
];

/** `sampling/createMessage` params (MCP 2025-06-18 / 2025-11-25), plain text only. */
export function createMessageParams(req: ClientModelRequest): Record<string, unknown> {
  return {
    messages: req.messages.map((m) => ({ role: m.role, content: { type: "text", text: m.text } })),
    systemPrompt: req.systemPrompt,
    maxTokens: req.maxTokens,
    // The prompt carries everything the model needs; the client's own conversation stays out of it.
    includeContext: "none",
    // Writing a faithful conversation from a source is a task for a capable model, not a fast one.
    modelPreferences: { intelligencePriority: 0.8, speedPriority: 0.2, costPriority: 0.3 },
  };
}

/** The text of a `CreateMessageResult` (one content block, or a list of them); what the client sent is not trusted. */
export function replyOf(answer: Record<string, unknown> | undefined): ClientModelReply {
  const content = answer?.content;
  const blocks = Array.isArray(content) ? content : [content];
  const text = blocks
    .map((b) =>
      b && typeof b === "object" && (b as { type?: unknown }).type === "text"
        ? (b as { text?: unknown }).text
        : undefined,
    )
    .filter((t): t is string => typeof t === "string")
    .join("\n");
  if (!text.trim()) throw new AppError("provider_permanent", "the client answered the sampling request with no text");
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  return { text, model: str(answer?.model), stopReason: str(answer?.stopReason) };
}

/** A wait that a LIVE notification cuts short. A poke that comes before the wait is not lost. */
class Wakeup {
  #poked = false;
  #wake: (() => void) | undefined;

  poke(): void {
    this.#poked = true;
    this.#wake?.();
  }

  wait(ms: number, signal: AbortSignal): Promise<void> {
    if (this.#poked || signal.aborted) {
      this.#poked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        this.#wake = undefined;
        this.#poked = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
      this.#wake = done;
    });
  }
}

export interface SessionModelOptions {
  requests: SamplingRequests;
  target: SamplingTarget;
  /** The client's name and version, as it gave them at initialize. */
  client: string;
  settings: SamplingSettings;
  log: Logger;
}

/** The client's model, reached through the database and the server process holding its session. */
export class SessionModel implements ClientModel {
  readonly client: string;
  readonly #o: SessionModelOptions;

  constructor(opts: SessionModelOptions) {
    this.client = opts.client;
    this.#o = opts;
  }

  async complete(req: ClientModelRequest, signal: AbortSignal): Promise<ClientModelReply> {
    if (signal.aborted) throw canceledError(signal, "the sampling request");
    const { requests, target, settings, log } = this.#o;
    const id = await requests.create(target, req.purpose, createMessageParams(req));
    const wake = new Wakeup();
    const stopWatch = await requests
      .watch(
        (r) => r.id === id && wake.poke(),
        (gone) => gone === id && wake.poke(),
      )
      .catch((err: unknown) => void log.debug({ err }, "sampling: LIVE query failed; polling only"));
    const started = Date.now();
    let askedAt: number | undefined;
    try {
      for (;;) {
        if (signal.aborted) throw canceledError(signal, "the sampling request");
        const row = await requests.read(id);
        if (!row) throw new AppError("internal", `sampling request ${id} disappeared before it was answered`);
        const outcome = this.#outcome(row);
        if (outcome) return outcome();
        if (row.status === "asked") askedAt ??= Date.now();
        if (row.status === "pending" && Date.now() - started >= settings.claimWaitMs) {
          if (await requests.withdrawPending(id))
            throw this.#sessionGone(settings.claimWaitMs, "no server took its sampling request");
          continue; // claimed just now: wait for its answer
        }
        // The server asks with answerTimeoutMs and writes a failure when it passes; one that died
        // while asking writes nothing, so the worker stops waiting a claim-wait later.
        const bound = settings.answerTimeoutMs + settings.claimWaitMs;
        if (askedAt !== undefined && Date.now() - askedAt >= bound)
          throw this.#sessionGone(bound, "its server stopped while the client was asked");
        await wake.wait(settings.pollMs, signal);
      }
    } finally {
      await stopWatch?.().catch(() => {});
      await requests.remove(id).catch((err: unknown) => log.debug({ err, id }, "sampling: request not removed"));
    }
  }

  /** The end of a request, when it has one: the reply, or the error its server wrote. */
  #outcome(row: SamplingRow): (() => ClientModelReply) | undefined {
    if (row.status === "answered") return () => replyOf(row.answer);
    if (row.status !== "failed") return undefined;
    const kind = KINDS.find((k) => k === row.error_kind) ?? "provider_permanent";
    return () => {
      throw new AppError(kind, row.error ?? "the sampling request failed");
    };
  }

  #sessionGone(waitedMs: number, why: string): AppError {
    return new AppError(
      "provider_permanent",
      `the MCP session that submitted this episode (client ${this.client}) is gone: ${why} ` +
        `(waited ${Math.round(waitedMs / 1000)} s). ` +
        "Call retry_episode from a connected client that supports sampling (finished segments are kept), " +
        "or write the script yourself (get_script_brief, then generate_podcast with script)",
    );
  }
}
