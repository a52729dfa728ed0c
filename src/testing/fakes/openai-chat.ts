// A loopback fake of OpenAI's POST /v1/chat/completions for tests and benches. It answers with a
// real chat.completion body so the real `openai` SDK can be pointed at it by base URL. Knobs: what
// the model "says", a script of failures (429 + Retry-After, 5xx, a hang) and a key check (401).
// The handler's shape matches FakeHandler in test/fakes/server.ts (which lives outside src/).
import type http from "node:http";
import { OUTLINE_FORMAT, TURNS_FORMAT } from "../../providers/writer/schemas.js";

export interface ChatRequestBody {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: {
    type: string;
    json_schema?: { name: string; strict?: boolean; schema?: Record<string, unknown> };
  };
  max_tokens?: number;
  max_completion_tokens?: number;
}

export type FakeChatReply =
  | string
  | { content?: string | null; refusal?: string; finishReason?: "stop" | "length" | "content_filter" };

export type FakeChatFailure =
  /** Answer with this status and an OpenAI-style error body; retryAfter is sent as the Retry-After header. */
  | { status: number; retryAfter?: string; message?: string; code?: string }
  /** Never answer: the client's timeout has to fire. */
  | { hang: true };

export interface FakeChatOptions {
  /** What the model says; `call` counts the chat requests that reached this point, from 0. */
  reply?: (body: ChatRequestBody, call: number) => FakeChatReply | Promise<FakeChatReply>;
  /** Consumed one per request, before any reply is given. */
  failures?: FakeChatFailure[];
  /** When set, a request without "Authorization: Bearer <apiKey>" gets a 401. */
  apiKey?: string;
}

export type ChatHandler = ((req: http.IncomingMessage, body: string, res: http.ServerResponse) => boolean) & {
  /** Every parsed chat request body, in arrival order (failed ones included). */
  bodies: ChatRequestBody[];
};

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

function errorBody(message: string, type: string, code: string | null) {
  return { error: { message, type, param: null, code } };
}

/** Speaker names: from the turns schema's enum, else from "Speaker N: Name" lines of the prompt. */
export function speakersOf(body: ChatRequestBody): string[] {
  const schema = body.response_format?.json_schema?.schema as
    | { properties?: { turns?: { items?: { properties?: { speaker?: { enum?: string[] } } } } } }
    | undefined;
  const fromSchema = schema?.properties?.turns?.items?.properties?.speaker?.enum;
  if (fromSchema?.length) return fromSchema;
  const prompt = body.messages.map((m) => m.content).join("\n");
  const names = [...prompt.matchAll(/^Speaker \d+: (.+?)(?: \(host\))?(?: — .*)?$/gm)].map((m) => m[1]!.trim());
  return names.length ? [...new Set(names)] : ["Host", "Guest"];
}

/** A plausible reply for the writer's two formats, built from what the request asked for. */
export function defaultChatReply(body: ChatRequestBody): string {
  const prompt = body.messages.map((m) => m.content).join("\n");
  // Without response_format (a server that refused it) a model goes by the shape in the prompt.
  const format =
    body.response_format?.json_schema?.name ??
    (prompt.includes('{"segments":[') ? OUTLINE_FORMAT : prompt.includes('{"turns":[') ? TURNS_FORMAT : undefined);
  if (format === OUTLINE_FORMAT) {
    const n = Number(/exactly (\d+) segments/.exec(prompt)?.[1] ?? 3);
    const segments = Array.from({ length: n }, (_, i) => ({
      name: i === 0 ? "Opening" : i === n - 1 ? "Closing thoughts" : `Part ${i + 1}`,
      description: `What part ${i + 1} of the episode covers.`,
      size: i === 0 || i === n - 1 ? "short" : "medium",
    }));
    return JSON.stringify({ segments });
  }
  if (format === TURNS_FORMAT) {
    const speakers = speakersOf(body);
    const seg = /Write segment (\d+) of (\d+)/.exec(prompt);
    const label = seg ? `segment ${seg[1]} of ${seg[2]}` : "this segment";
    const turns = Array.from({ length: 4 }, (_, i) => ({
      speaker: speakers[i % speakers.length]!,
      text: `Line ${i + 1} of ${label}, spoken by ${speakers[i % speakers.length]}.`,
    }));
    return JSON.stringify({ turns });
  }
  return "OK";
}

export function openAiChatFake(opts: FakeChatOptions = {}): ChatHandler {
  const failures = [...(opts.failures ?? [])];
  const bodies: ChatRequestBody[] = [];
  let served = 0;
  const handler = (req: http.IncomingMessage, raw: string, res: http.ServerResponse): boolean => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method !== "POST" || !path?.endsWith("/chat/completions")) return false;
    if (opts.apiKey !== undefined && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      sendJson(res, 401, errorBody("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"));
      return true;
    }
    let body: ChatRequestBody;
    try {
      body = JSON.parse(raw) as ChatRequestBody;
    } catch {
      sendJson(res, 400, errorBody("We could not parse the JSON body of your request.", "invalid_request_error", null));
      return true;
    }
    bodies.push(body);
    const failure = failures.shift();
    if (failure && "hang" in failure) return true; // the response stays open until the client gives up
    if (failure) {
      const headers: Record<string, string> =
        failure.retryAfter !== undefined ? { "retry-after": failure.retryAfter } : {};
      const type =
        failure.status === 429
          ? "rate_limit_exceeded"
          : failure.status >= 500
            ? "server_error"
            : "invalid_request_error";
      sendJson(
        res,
        failure.status,
        errorBody(failure.message ?? `fake failure ${failure.status}`, type, failure.code ?? null),
        headers,
      );
      return true;
    }
    const call = served++;
    void (async () => {
      const r = await (opts.reply ?? defaultChatReply)(body, call);
      const reply = typeof r === "string" ? { content: r } : r;
      const content = reply.content ?? null;
      sendJson(res, 200, {
        id: `chatcmpl-fake-${call}`,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content, refusal: reply.refusal ?? null },
            finish_reason: reply.finishReason ?? "stop",
            logprobs: null,
          },
        ],
        usage: {
          prompt_tokens: Math.ceil(raw.length / 4),
          completion_tokens: Math.ceil((content ?? "").length / 4),
          total_tokens: 0,
        },
      });
    })().catch((err: unknown) =>
      sendJson(res, 500, errorBody(`fake reply function threw: ${String(err)}`, "server_error", null)),
    );
    return true;
  };
  return Object.assign(handler, { bodies });
}
