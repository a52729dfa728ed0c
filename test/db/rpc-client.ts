// A bare WebSocket client of the DB host for tests that need to send what the SDK never would.
import { CborCodec } from "surrealdb";
import WebSocket from "ws";
import { waitFor } from "../helpers/procs.js";

const codec = CborCodec.DEFAULT;

export interface RawClient {
  ws: WebSocket;
  /** Every decoded message the host sent. */
  replies: Array<{ id?: unknown; result?: unknown; error?: { message: string } }>;
  /** Resolves with the close code and reason once the socket closes. */
  closed: Promise<{ code: number; reason: string }>;
  /** Sends one request and waits for the reply with its id. */
  call(
    method: string,
    params?: unknown[],
    extra?: Record<string, unknown>,
  ): Promise<{ result?: unknown; error?: { message: string } }>;
}

let nextId = 0;

/** Opens a socket; rejects with the server's refusal (e.g. "Unexpected server response: 503"). */
export async function rawClient(url: string): Promise<RawClient> {
  const ws = new WebSocket(`${url}/rpc`, "cbor");
  const replies: RawClient["replies"] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  ws.on("message", (data: Buffer) => replies.push(codec.decode(new Uint8Array(data)) as RawClient["replies"][number]));
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  ws.on("error", () => {}); // a host that cuts the connection off is what some tests want
  const call: RawClient["call"] = async (method, params, extra = {}) => {
    const id = `t${++nextId}`;
    ws.send(codec.encode({ id, method, ...(params ? { params } : {}), ...extra }));
    return waitFor(() => replies.find((r) => r.id === id), 10_000, 5);
  };
  return { ws, replies, closed, call };
}
