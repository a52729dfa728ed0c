// The server's side of sampling: answers the requests workers write for this process's live MCP
// sessions, and only those. It watches `sampling_request` with one LIVE query and polls as a
// backstop (LIVE notifications are not replayed after a reconnect, and a session may open after
// its request was written). A request is claimed with a compare-and-set before its client is asked,
// so it is put to a client once even when several server processes see it.
import { randomUUID } from "node:crypto";
import { SdkError, SdkErrorCode } from "@modelcontextprotocol/server";
import type { Db } from "../db/index.js";
import { errorMessage } from "../errors.js";
import type { Logger } from "../log.js";
import { SamplingRequests, type SamplingRow } from "./requests.js";
import type { ClientSessions, LiveSession } from "./sessions.js";
import type { SamplingSettings } from "./settings.js";

/** Requests older than a day were left by a worker that died while it waited: removed at start. */
const STALE_MS = 24 * 3_600_000;
/** How long stopping waits for the answers being written. */
const STOP_WAIT_MS = 2_000;

/** The kind and message a failed request carries back to the worker. */
function failure(
  err: unknown,
  session: LiveSession,
  purpose: string,
  timeoutMs: number,
): { kind: string; message: string } {
  const client = `the MCP client ${session.client}`;
  if (err instanceof SdkError && err.code === SdkErrorCode.RequestTimeout) {
    return {
      kind: "provider_transient",
      message: `${client} did not answer the sampling request (${purpose}) within ${Math.round(timeoutMs / 1000)} s`,
    };
  }
  if (
    err instanceof SdkError &&
    (err.code === SdkErrorCode.ConnectionClosed || err.code === SdkErrorCode.NotConnected)
  ) {
    return {
      kind: "provider_permanent",
      message:
        `the MCP session that submitted this episode (${session.client}) closed before its client answered ` +
        `(${purpose}). ` +
        "Call retry_episode from a connected client that supports sampling; finished segments are kept",
    };
  }
  return {
    kind: "provider_permanent",
    message: `${client} refused the sampling request (${purpose}): ${errorMessage(err)}`,
  };
}

export async function startSamplingResponder(
  db: Db,
  sessions: ClientSessions,
  settings: SamplingSettings,
  log: Logger,
): Promise<() => Promise<void>> {
  const requests = new SamplingRequests(db);
  const server = `server-${process.pid}-${randomUUID().slice(0, 8)}`;
  const inFlight = new Map<string, { abort: AbortController; done: Promise<void> }>();
  let stopped = false;

  async function serve(row: SamplingRow, session: LiveSession, signal: AbortSignal): Promise<void> {
    const claimed = await requests.claim(row.id, server);
    if (!claimed) return;
    log.debug({ request: row.id, purpose: row.purpose, client: session.client }, "sampling: asking the client");
    try {
      const result = await session.createMessage(claimed.params, { signal, timeoutMs: settings.answerTimeoutMs });
      await requests.answer(row.id, result);
    } catch (err) {
      // Withdrawn (the job was canceled or gave up): the row is gone, nobody waits for an answer.
      if (signal.aborted) return;
      const f = failure(err, session, row.purpose, settings.answerTimeoutMs);
      log.info({ request: row.id, kind: f.kind, err: errorMessage(err) }, "sampling: the client did not answer");
      await requests.fail(row.id, f.kind, f.message);
    }
  }

  /** A request for one of this process's live sessions that nobody here serves yet. */
  function consider(row: SamplingRow): void {
    if (stopped || row.status !== "pending" || inFlight.has(row.id)) return;
    const session = sessions.get(row.session);
    if (!session) return;
    // Held from here, before the claim: a LIVE notification and a poll may see the same row at once.
    const entry = { abort: new AbortController(), done: Promise.resolve() };
    inFlight.set(row.id, entry);
    entry.done = serve(row, session, entry.abort.signal)
      .catch((err: unknown) => log.warn({ err, request: row.id }, "sampling: request not served"))
      .finally(() => inFlight.delete(row.id));
  }

  let polling = false;
  async function poll(): Promise<void> {
    if (polling || stopped || sessions.size === 0) return;
    polling = true;
    try {
      for (const row of await requests.pendingFor(sessions.keys())) consider(row);
    } catch (err) {
      log.debug({ err }, "sampling: poll failed");
    } finally {
      polling = false;
    }
  }

  await requests
    .removeStale(STALE_MS)
    .catch((err: unknown) => log.debug({ err }, "sampling: stale requests not removed"));
  // Without the LIVE query (a server that refuses it) the poll still answers, a poll interval later.
  const stopWatch = await requests
    .watch(consider, (id) => inFlight.get(id)?.abort.abort())
    .catch((err: unknown) => {
      log.warn({ err }, "sampling: LIVE query refused; polling only");
      return async () => {};
    });
  const timer = setInterval(() => void poll(), settings.pollMs);
  timer.unref();
  const offChange = sessions.onChange(() => void poll());
  log.debug({ server }, "sampling responder started");

  return async () => {
    stopped = true;
    clearInterval(timer);
    offChange();
    await stopWatch().catch(() => {});
    const pending = [...inFlight.values()].map((e) => e.done);
    await Promise.race([Promise.allSettled(pending), new Promise((r) => setTimeout(r, STOP_WAIT_MS).unref())]);
  };
}
