// Both ends of the sampling path in one process, all real: an embedded database with every
// migration, an McpServer tracked by ClientSessions and a v2 Client (declaring sampling) linked to
// it in memory, the server's responder, and the worker's SessionModel. The client's handler is the
// only stand-in: it plays the model, as a real client's user and model would.
import { Client } from "@modelcontextprotocol/client";
import { InMemoryTransport, McpServer } from "@modelcontextprotocol/server";
import { connect, migrate, type Db } from "../../src/db/index.js";
import { silentLogger } from "../../src/log.js";
import { SessionModel } from "../../src/sampling/ask.js";
import { SamplingRequests } from "../../src/sampling/requests.js";
import { startSamplingResponder } from "../../src/sampling/responder.js";
import { ClientSessions } from "../../src/sampling/sessions.js";
import type { SamplingSettings } from "../../src/sampling/settings.js";
import type { Submitter } from "../../src/sampling/submitter.js";
import { MIGRATIONS } from "../../src/schema.js";

export type SamplingParams = {
  systemPrompt?: string;
  maxTokens: number;
  messages: { role: string; content: { type: string; text?: string } }[];
};
/** What the client's handler does with one request; `signal` fires when the server cancels it. */
export type ModelPlay = (params: SamplingParams, signal: AbortSignal) => Promise<Record<string, unknown>>;

export interface Pair {
  db: Db;
  client: Client;
  sessions: ClientSessions;
  submitter: Submitter;
  requests: SamplingRequests;
  /** Every request the client's handler saw, in order. */
  seen: SamplingParams[];
  model(settings?: Partial<SamplingSettings>): SessionModel;
  close(): Promise<void>;
}

let counter = 0;
export const FAST: SamplingSettings = { claimWaitMs: 400, answerTimeoutMs: 2_000, pollMs: 50 };

export async function openPair(play: { current: ModelPlay }, settings: SamplingSettings = FAST): Promise<Pair> {
  const db = await connect({ url: "mem://", namespace: "test", database: `sampling${process.pid}_${counter++}` });
  await migrate(db, MIGRATIONS);
  const sessions = new ClientSessions();
  const server = new McpServer({ name: "test-server", version: "1.0.0" }, { capabilities: { tools: {} } });
  const submitterOf = sessions.attach(server, "legacy");
  const client = new Client({ name: "sampling-test-client", version: "2.0.0" }, { capabilities: { sampling: {} } });
  const seen: SamplingParams[] = [];
  client.setRequestHandler("sampling/createMessage", async (request, ctx) => {
    const params = request.params as unknown as SamplingParams;
    seen.push(params);
    return (await play.current(params, ctx.mcpReq.signal)) as never;
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  // The initialized notification arrives after connect() returns.
  for (let i = 0; i < 100 && !submitterOf()?.sampling; i++) await new Promise((r) => setTimeout(r, 10));
  const submitter = submitterOf()!;
  const stop = await startSamplingResponder(db, sessions, settings, silentLogger);
  const requests = new SamplingRequests(db);
  return {
    db,
    client,
    sessions,
    submitter,
    requests,
    seen,
    model: (s = {}) =>
      new SessionModel({
        requests,
        target: { session: submitter.session },
        client: submitter.client,
        settings: { ...settings, ...s },
        log: silentLogger,
      }),
    async close() {
      await client.close().catch(() => {});
      await stop();
      await db.close();
    },
  };
}

export const textReply = (text: string) => ({
  role: "assistant",
  model: "test-model",
  stopReason: "endTurn",
  content: { type: "text", text },
});

export async function countRequests(db: Db): Promise<number> {
  const [rows] = await db.query<[{ n: number }[]]>("SELECT count() AS n FROM sampling_request GROUP ALL").collect();
  return rows[0]?.n ?? 0;
}
