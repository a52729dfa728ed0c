// The sampling path through the database, in one process with real parts (see in-process.ts):
// a worker's request reaches the client that holds the session and the answer comes back; a client
// that refuses, a session that closes mid-request, a session nobody holds (bounded wait), a
// canceled job; and the client writer's repair loop over the real path.
import { afterAll, beforeAll, expect, it } from "vitest";
import { AppError } from "../../src/errors.js";
import { silentLogger } from "../../src/log.js";
import { ClientWriter } from "../../src/providers/writer/client-writer.js";
import { SessionModel } from "../../src/sampling/ask.js";
import type { WriterInput } from "../../src/core/model.js";
import { countRequests, FAST, openPair, textReply, type ModelPlay, type Pair } from "./in-process.js";

const play: { current: ModelPlay } = { current: async () => textReply("unused") };
let pair: Pair;

beforeAll(async () => {
  pair = await openPair(play);
});
afterAll(async () => {
  await pair?.close();
});

const ask = (model: SessionModel, signal = new AbortController().signal) =>
  model.complete(
    {
      purpose: "segment 1 of 2",
      systemPrompt: "You write dialogue.",
      messages: [{ role: "user", text: "Write it." }],
      maxTokens: 500,
    },
    signal,
  );

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected the request to fail");
}

it("records whether the client declared sampling, and its name, at initialize", () => {
  expect(pair.submitter.sampling).toBe(true);
  expect(pair.submitter.client).toBe("sampling-test-client 2.0.0");
  expect(pair.sessions.keys()).toEqual([pair.submitter.session]);
});

it("puts a worker's request to the session's client and brings its answer back", async () => {
  play.current = async () => textReply('{"turns":[{"speaker":"Alex","text":"Hello from the client."}]}');
  const reply = await ask(pair.model());
  expect(reply).toEqual({
    text: '{"turns":[{"speaker":"Alex","text":"Hello from the client."}]}',
    model: "test-model",
    stopReason: "endTurn",
  });
  const sent = pair.seen.at(-1)!;
  expect(sent.systemPrompt).toBe("You write dialogue.");
  expect(sent.maxTokens).toBe(500);
  expect(sent.messages).toEqual([{ role: "user", content: { type: "text", text: "Write it." } }]);
  // The worker removes its request once it has the answer.
  expect(await countRequests(pair.db)).toBe(0);
});

it("fails for good, saying so, when the client refuses", async () => {
  play.current = async () => {
    throw new Error("User rejected sampling request");
  };
  const err = await failure(ask(pair.model()));
  expect(err.kind).toBe("provider_permanent");
  expect(err.message).toMatch(
    /sampling-test-client 2\.0\.0 refused the sampling request \(segment 1 of 2\): .*User rejected/,
  );
  expect(await countRequests(pair.db)).toBe(0);
});

it("waits a bounded time for a session nobody holds, then fails naming it and what to do", async () => {
  const gone = new SessionModel({
    requests: pair.requests,
    target: { session: "a-session-that-closed" },
    client: "old-client 1.0",
    settings: FAST,
    log: silentLogger,
  });
  const t0 = Date.now();
  const err = await failure(ask(gone));
  expect(Date.now() - t0).toBeGreaterThanOrEqual(FAST.claimWaitMs);
  expect(err.kind).toBe("provider_permanent");
  expect(err.message).toMatch(
    /the MCP session that submitted this episode \(client old-client 1\.0\) is gone: no server took its sampling/,
  );
  expect(err.message).toMatch(/retry_episode/);
  expect(await countRequests(pair.db)).toBe(0);
});

it("stops the client's request when the job is canceled", async () => {
  let clientSignal: AbortSignal | undefined;
  let asked: () => void = () => {};
  const isAsked = new Promise<void>((r) => (asked = r));
  play.current = (_p, signal) => {
    clientSignal = signal;
    asked();
    return new Promise(() => {}); // a model that never finishes
  };
  const job = new AbortController();
  const pending = ask(pair.model(), job.signal);
  await isAsked;
  job.abort();
  expect((await failure(pending)).kind).toBe("canceled");
  // The withdrawn request reaches the client as notifications/cancelled.
  for (let i = 0; i < 100 && !clientSignal?.aborted; i++) await new Promise((r) => setTimeout(r, 20));
  expect(clientSignal?.aborted).toBe(true);
  expect(await countRequests(pair.db)).toBe(0);
});

it("the client writer asks again with the problem when a reply breaks the rules", async () => {
  const replies = [
    "Sure! Here is the outline you asked for.",
    '{"segments":[{"name":"Bees","description":"How bees talk.","size":"Medium"}]}',
  ];
  play.current = async () => textReply(replies.shift() ?? "");
  const writer = new ClientWriter(pair.model(), silentLogger);
  expect(writer.name).toBe("client:sampling-test-client 2.0.0");
  const input: WriterInput = {
    content: "# Bees\nBees dance to say where flowers are.",
    briefing: "",
    episodeName: "Bees",
    language: "en",
    speakers: [{ name: "Alex", voice_id: "rms", backstory: "", personality: "" }],
    numSegments: 1,
  };
  const before = pair.seen.length;
  const outline = await writer.outline(input, new AbortController().signal);
  expect(outline).toEqual({ segments: [{ name: "Bees", description: "How bees talk.", size: "medium" }] });
  const second = pair.seen[before + 1]!;
  expect(second.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
  expect(second.messages[2]!.content.text).toMatch(/Your reply was not valid: the reply held no parseable JSON object/);
});

it("fails at once, saying the session closed, when the client goes away mid-request", async () => {
  let asked: () => void = () => {};
  const isAsked = new Promise<void>((r) => (asked = r));
  play.current = () => {
    asked();
    return new Promise(() => {});
  };
  const pending = ask(pair.model());
  await isAsked;
  await pair.client.close();
  const err = await failure(pending);
  expect(err.kind).toBe("provider_permanent");
  expect(err.message).toMatch(
    /the MCP session that submitted this episode \(sampling-test-client 2\.0\.0\) closed before its client answered/,
  );
  expect(pair.sessions.size).toBe(0);
});
