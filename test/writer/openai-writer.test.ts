// The LLM writer through the real `openai` SDK against a loopback fake that speaks the chat
// completions wire format: structured-output request, defensive parsing, repair loop, retries.
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { AppError } from "../../src/errors.js";
import { silentLogger } from "../../src/log.js";
import type { Outline, Speaker, WriterInput } from "../../src/core/model.js";
import { OpenAiWriter } from "../../src/providers/writer/openai-writer.js";
import { createWriter } from "../../src/providers/writer/registry.js";
import { OUTLINE_FORMAT, TURNS_FORMAT } from "../../src/providers/writer/schemas.js";
import { openAiChatFake, speakersOf, type ChatHandler, type FakeChatOptions } from "../fakes/openai-chat.js";
import { startFakeServer, type FakeServer } from "../fakes/server.js";

const KEY = "sk-test-fake";
const speaker = (name: string): Speaker => ({
  name,
  voice_id: "v",
  backstory: `${name} keeps a lighthouse.`,
  personality: "calm",
});
const signal = new AbortController().signal;
const OUTLINE: Outline = {
  segments: [
    { name: "Opening", description: "Why lights matter.", size: "short" },
    { name: "The lens", description: "How Fresnel changed it.", size: "long" },
    { name: "Closing", description: "What is left today.", size: "short" },
  ],
};

function input(over: Partial<WriterInput> = {}): WriterInput {
  return {
    content: "Lighthouses warn ships. Fresnel lenses made them bright.",
    briefing: "Keep it light.",
    episodeName: "Lighthouse Hour",
    language: "en-US",
    speakers: [speaker("Alice"), speaker("Bob")],
    numSegments: 3,
    ...over,
  };
}

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function fake(opts: FakeChatOptions = {}): Promise<{ chat: ChatHandler; url: string }> {
  const chat = openAiChatFake({ apiKey: KEY, ...opts });
  server = await startFakeServer(chat);
  return { chat, url: `${server.url}/v1` };
}

function writer(url: string, over: Partial<ConstructorParameters<typeof OpenAiWriter>[0]> = {}): OpenAiWriter {
  return new OpenAiWriter({
    client: new OpenAI({ apiKey: KEY, baseURL: url, maxRetries: 0 }),
    model: "test-model",
    log: silentLogger,
    retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 5000 },
    ...over,
  });
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const userText = (chat: ChatHandler, call: number) =>
  chat.bodies[call]!.messages.filter((m) => m.role === "user")
    .map((m) => m.content)
    .join("\n");

/** Strict structured outputs: every object lists all its properties as required and allows no others. */
function assertStrict(schema: unknown): void {
  if (!schema || typeof schema !== "object") return;
  const s = schema as {
    type?: string;
    properties?: Record<string, unknown>;
    required?: string[];
    additionalProperties?: unknown;
    items?: unknown;
  };
  if (s.type === "object") {
    expect(s.additionalProperties).toBe(false);
    expect([...(s.required ?? [])].sort()).toEqual(Object.keys(s.properties ?? {}).sort());
    for (const p of Object.values(s.properties ?? {})) assertStrict(p);
  }
  if (s.items) assertStrict(s.items);
}

describe("OpenAI writer against the fake", () => {
  it("requests strict json_schema output with the token limit, and writes an outline and segments", async () => {
    const { chat, url } = await fake();
    const config = loadConfig({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: url });
    const w = createWriter("auto", "test-model", config, silentLogger);
    expect(w.name).toBe("openai:test-model");
    const inp = input({ maxTokens: 900 });
    const outline = await w.outline(inp, signal);
    expect(outline.segments).toHaveLength(3);
    const turns = await w.segment(inp, outline, 1, "Segments already covered:\n1. Opening: why lights matter.", signal);
    expect(turns.length).toBeGreaterThan(0);
    for (const t of turns) {
      expect(["Alice", "Bob"]).toContain(t.speaker);
      expect(t.segment).toBe(1);
    }

    const [o, s] = chat.bodies;
    expect(o!.model).toBe("test-model");
    expect(o!.response_format?.type).toBe("json_schema");
    expect(o!.response_format?.json_schema).toMatchObject({ name: OUTLINE_FORMAT, strict: true });
    expect(s!.response_format?.json_schema).toMatchObject({ name: TURNS_FORMAT, strict: true });
    assertStrict(o!.response_format?.json_schema?.schema);
    assertStrict(s!.response_format?.json_schema?.schema);
    expect(JSON.stringify(s!.response_format?.json_schema?.schema)).toContain('"enum":["Alice","Bob"]');
    // A custom base URL means a compatible server, which knows max_tokens.
    expect(o!.max_tokens).toBe(900);
    expect(server!.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(userText(chat, 1)).toContain("Segments already covered:");
    expect(userText(chat, 1)).toContain("Alice keeps a lighthouse.");
  });

  it("takes the JSON out of a think block and a ```json fence", async () => {
    const { chat, url } = await fake({
      reply: () =>
        `<think>The user wants {"segments": []}. Let me plan.</think>\nHere is the outline:\n\`\`\`json\n${JSON.stringify(OUTLINE)}\n\`\`\`\nEnjoy!`,
    });
    expect(await writer(url).outline(input({ maxTokens: 500 }), signal)).toEqual(OUTLINE);
    // OpenAI itself: newer models take only max_completion_tokens.
    expect(chat.bodies[0]).toMatchObject({ max_completion_tokens: 500 });
    expect(chat.bodies[0]).not.toHaveProperty("max_tokens");
  });

  it("retries a malformed reply with the validation error fed back, then succeeds", async () => {
    const { chat, url } = await fake({
      reply: (_b, call) =>
        call === 0 ? JSON.stringify({ segments: OUTLINE.segments.slice(0, 2) }) : JSON.stringify(OUTLINE),
    });
    expect(await writer(url).outline(input(), signal)).toEqual(OUTLINE);
    expect(chat.bodies).toHaveLength(2);
    const second = chat.bodies[1]!.messages;
    expect(second.at(-2)).toMatchObject({
      role: "assistant",
      content: JSON.stringify({ segments: OUTLINE.segments.slice(0, 2) }),
    });
    expect(second.at(-1)!.role).toBe("user");
    expect(second.at(-1)!.content).toContain("segments: must have exactly 3 segments");
  });

  it("fails readably after three malformed replies", async () => {
    const { chat, url } = await fake({ reply: () => '{"segments": [{"name": "Opening", ' });
    const err = await failure(writer(url).outline(input(), signal));
    expect(err.kind).toBe("provider_permanent");
    expect(err.message).toContain("no valid reply in 3 attempts");
    expect(err.message).toContain("no parseable JSON");
    expect(chat.bodies).toHaveLength(3);
  });

  it("rejects an unknown speaker, feeds the rule back, and maps names case-insensitively", async () => {
    const { chat, url } = await fake({
      reply: (_b, call) =>
        JSON.stringify({
          turns:
            call === 0
              ? [
                  { speaker: "Alice", text: "Hi." },
                  { speaker: "Dave", text: "Hello." },
                ]
              : [
                  { speaker: "alice", text: "Hi." },
                  { speaker: "BOB", text: "Hello." },
                ],
        }),
    });
    const turns = await writer(url).segment(input(), OUTLINE, 0, "", signal);
    expect(turns).toEqual([
      { speaker: "Alice", text: "Hi.", segment: 0 },
      { speaker: "Bob", text: "Hello.", segment: 0 },
    ]);
    expect(chat.bodies[1]!.messages.at(-1)!.content).toContain(
      'turns[1].speaker: "Dave" is not a speaker of this episode (use exactly one of: Alice, Bob)',
    );
  });

  it("honours Retry-After on a 429, and hands a long one to the queue", async () => {
    const { chat, url } = await fake({ failures: [{ status: 429, retryAfter: "1" }] });
    const started = Date.now();
    await writer(url).outline(input(), signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(chat.bodies).toHaveLength(2);

    await server!.close();
    const again = await fake({ failures: [{ status: 429, retryAfter: "120" }] });
    const err = await failure(writer(again.url).outline(input(), signal));
    expect(err.kind).toBe("provider_transient");
    expect(err.retryAfterMs).toBe(120_000);
    expect(again.chat.bodies).toHaveLength(1);
  });

  it("retries a 500 and a request that hangs past its timeout", async () => {
    const { chat, url } = await fake({ failures: [{ status: 500 }, { hang: true }] });
    expect(await writer(url, { timeoutMs: 300 }).outline(input(), signal)).toHaveProperty("segments");
    expect(chat.bodies).toHaveLength(3);

    await server!.close();
    const down = await fake({ failures: [{ status: 503 }, { status: 503 }, { status: 503 }] });
    const err = await failure(writer(down.url).outline(input(), signal));
    expect(err.kind).toBe("provider_transient");
    expect(err.message).toContain("HTTP 503");
    expect(down.chat.bodies).toHaveLength(3);
  });

  it("fails at once with provider_auth on a 401, and provider_permanent on a 404", async () => {
    const { url } = await fake();
    const w = new OpenAiWriter({
      client: new OpenAI({ apiKey: "sk-wrong", baseURL: url, maxRetries: 0 }),
      model: "m",
      log: silentLogger,
    });
    const err = await failure(w.outline(input(), signal));
    expect(err.kind).toBe("provider_auth");
    expect(err.message).toContain("HTTP 401");
    expect(server!.requests).toHaveLength(1);

    await server!.close();
    const missing = await fake({ failures: [{ status: 404, message: "The model `nope` does not exist" }] });
    const notFound = await failure(writer(missing.url).outline(input(), signal));
    expect(notFound.kind).toBe("provider_permanent");
    expect(notFound.message).toContain("does not exist");
    expect(missing.chat.bodies).toHaveLength(1);
  });

  it("asks again without response_format when the server refuses json_schema", async () => {
    const { chat, url } = await fake({
      failures: [{ status: 400, message: "response_format type json_schema is not supported by this server" }],
    });
    const w = writer(url);
    expect((await w.outline(input(), signal)).segments).toHaveLength(3);
    expect(chat.bodies[0]!.response_format).toBeDefined();
    expect(chat.bodies[1]!.response_format).toBeUndefined();
    await w.segment(input(), OUTLINE, 0, "", signal);
    expect(chat.bodies).toHaveLength(3);
    expect(chat.bodies[2]!.response_format).toBeUndefined();
  });

  it("stops waiting when the job is canceled", async () => {
    const { url } = await fake({ failures: [{ hang: true }] });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const err = await failure(writer(url).outline(input(), ac.signal));
    expect(err.kind).toBe("canceled");
  });

  it("puts the episode language in both prompts", async () => {
    const { chat, url } = await fake();
    const w = writer(url);
    const inp = input({ language: "fr-FR" });
    const outline = await w.outline(inp, signal);
    await w.segment(inp, outline, 0, "", signal);
    expect(userText(chat, 0)).toContain("Write in French (France), language tag fr-FR.");
    expect(userText(chat, 1)).toContain("Write in French (France), language tag fr-FR.");
  });
});

describe("the fake's default replies", () => {
  it("finds the speakers in the prompt when the request carries no schema", () => {
    const body = {
      model: "m",
      messages: [{ role: "user", content: "Speakers:\nSpeaker 1: Ann Lee (host) — Backstory: x\nSpeaker 2: Bo" }],
    };
    expect(speakersOf(body)).toEqual(["Ann Lee", "Bo"]);
  });
});

describe("createWriter", () => {
  it("picks builtin without keys, openai with a key or a local base URL, and refuses openai without either", async () => {
    expect(createWriter("auto", "gpt-4o-mini", loadConfig({}), silentLogger).name).toBe("builtin");
    expect(createWriter("builtin", "ignored", loadConfig({ OPENAI_API_KEY: KEY }), silentLogger).name).toBe("builtin");
    expect(createWriter("auto", "gpt-4o-mini", loadConfig({ OPENAI_API_KEY: KEY }), silentLogger).name).toBe(
      "openai:gpt-4o-mini",
    );

    // A local server needs no key: the SDK gets a placeholder.
    const { chat, url } = await fake({ apiKey: "not-needed" });
    const local = createWriter("auto", "llama3", loadConfig({ OPENAI_BASE_URL: url }), silentLogger);
    expect((await local.outline(input(), signal)).segments).toHaveLength(3);
    expect(chat.bodies[0]!.model).toBe("llama3");

    let thrown: unknown;
    try {
      createWriter("openai", "gpt-4o-mini", loadConfig({}), silentLogger);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).kind).toBe("provider_auth");
    expect((thrown as AppError).message).toContain("OPENAI_API_KEY");
  });
});
