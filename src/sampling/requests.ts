// The one owner of the `sampling_request` table: every statement on it is here, one method per
// change of state, each a single compare-and-set UPDATE so a worker and a server (or two servers)
// never both act on one request. The worker creates, reads, withdraws and removes; the server that
// holds the request's MCP session claims it, then answers or fails it.
import { RecordId, Table } from "surrealdb";
import { randomKey } from "../core/ids.js";
import { writeRetrying } from "../core/resilience/conflict.js";
import type { Db } from "../db/index.js";
import { plain } from "../podcasts/plain.js";
import type { SamplingStatus } from "./schema.js";

const TABLE = "sampling_request";

/** Where a request goes (the MCP session) and what it is for (the job and episode that need it). */
export interface SamplingTarget {
  session: string;
  job?: string | undefined;
  episode?: string | undefined;
}

/** A request as both sides read it: ids as text, dates as ISO strings. */
export interface SamplingRow {
  id: string;
  session: string;
  purpose: string;
  params: Record<string, unknown>;
  status: SamplingStatus;
  server?: string;
  asked?: string;
  answer?: Record<string, unknown>;
  error?: string;
  error_kind?: string;
}

const recordId = (id: string) => new RecordId(TABLE, id.startsWith(`${TABLE}:`) ? id.slice(TABLE.length + 1) : id);
const row = (r: unknown) => plain<SamplingRow>(r);

/** A record id as JSON data: links are stored as record links, the rest is plain. */
function link(table: "command" | "episode", id: string | undefined): RecordId | undefined {
  if (!id) return undefined;
  const key = id.startsWith(`${table}:`) ? id.slice(table.length + 1) : id;
  return new RecordId(table, key);
}

export class SamplingRequests {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** A new pending request; returns its id ("sampling_request:…"). */
  async create(target: SamplingTarget, purpose: string, params: Record<string, unknown>): Promise<string> {
    const id = new RecordId(TABLE, randomKey());
    const job = link("command", target.job);
    const episode = link("episode", target.episode);
    const content = {
      session: target.session,
      purpose,
      // JSON round trip: undefined members must not reach the CBOR encoder.
      params: JSON.parse(JSON.stringify(params)) as Record<string, unknown>,
      status: "pending",
      ...(job ? { job } : {}),
      ...(episode ? { episode } : {}),
    };
    await writeRetrying(this.#db, "CREATE $id CONTENT $content", { id, content });
    return `${TABLE}:${String(id.id)}`;
  }

  async read(id: string): Promise<SamplingRow | undefined> {
    const [rows] = await this.#db.query<[unknown[]]>("SELECT * FROM $id", { id: recordId(id) }).collect();
    return rows[0] ? row(rows[0]) : undefined;
  }

  /**
   * pending → asked by `server`. Undefined when another server took it, the worker withdrew it, or
   * its job no longer runs (a request left behind by a worker that died is never put to a client).
   */
  async claim(id: string, server: string): Promise<SamplingRow | undefined> {
    const [rows] = await writeRetrying<[unknown[]]>(
      this.#db,
      `UPDATE $id SET status = 'asked', server = $server, asked = time::now(), updated = time::now()
       WHERE status = 'pending' AND (job = NONE OR job.status = 'running') RETURN AFTER`,
      { id: recordId(id), server },
    );
    return rows[0] ? row(rows[0]) : undefined;
  }

  /** asked → answered, with the client's result. */
  async answer(id: string, result: Record<string, unknown>): Promise<boolean> {
    const [rows] = await writeRetrying<[unknown[]]>(
      this.#db,
      "UPDATE $id SET status = 'answered', answer = $answer, updated = time::now() WHERE status = 'asked' RETURN id",
      { id: recordId(id), answer: JSON.parse(JSON.stringify(result)) as Record<string, unknown> },
    );
    return rows.length > 0;
  }

  /** asked → failed, with an error kind (src/errors.ts) and a message for a person. */
  async fail(id: string, kind: string, message: string): Promise<boolean> {
    const [rows] = await writeRetrying<[unknown[]]>(
      this.#db,
      `UPDATE $id SET status = 'failed', error = $message, error_kind = $kind, updated = time::now()
       WHERE status = 'asked' RETURN id`,
      { id: recordId(id), kind, message },
    );
    return rows.length > 0;
  }

  /** Deletes the request if nobody claimed it yet; false when a server took it meanwhile. */
  async withdrawPending(id: string): Promise<boolean> {
    const [rows] = await writeRetrying<[unknown[]]>(this.#db, "DELETE $id WHERE status = 'pending' RETURN BEFORE", {
      id: recordId(id),
    });
    return rows.length > 0;
  }

  /** The worker is done with it, whatever its state. */
  async remove(id: string): Promise<void> {
    await writeRetrying(this.#db, "DELETE $id", { id: recordId(id) });
  }

  /** Pending requests for any of these sessions (the responder's poll backstop). */
  async pendingFor(sessions: string[]): Promise<SamplingRow[]> {
    if (sessions.length === 0) return [];
    const [rows] = await this.#db
      .query<[unknown[]]>(`SELECT * FROM ${TABLE} WHERE session IN $sessions AND status = 'pending'`, { sessions })
      .collect();
    return rows.map(row);
  }

  /** Rows older than `ms` (left by a worker that died while it waited): removed. */
  async removeStale(ms: number): Promise<void> {
    await writeRetrying(this.#db, `DELETE ${TABLE} WHERE created < time::now() - type::duration($age)`, {
      age: `${Math.round(ms)}ms`,
    });
  }

  /** LIVE query on every request: `onChange` sees creations and updates, `onDelete` the ids removed. */
  async watch(
    onChange: (row: SamplingRow) => void,
    onDelete: (id: string) => void = () => {},
  ): Promise<() => Promise<void>> {
    const sub = await this.#db.live(new Table(TABLE));
    const unsubscribe = sub.subscribe((msg) => {
      if (msg.action === "KILLED") return;
      if (msg.action === "DELETE") return onDelete(`${TABLE}:${String(msg.recordId.id)}`);
      onChange(row({ ...msg.value, id: msg.recordId }));
    });
    return async () => {
      unsubscribe();
      await sub.kill();
    };
  }
}
