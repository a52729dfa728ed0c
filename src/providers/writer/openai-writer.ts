// The LLM writer: OpenAI chat completions, or any server that speaks the same protocol (Ollama,
// LM Studio, vLLM, OpenRouter). Structured output is requested, but never trusted: every reply is
// extracted defensively, validated with zod and checked against the profile's speakers, and a
// malformed reply is retried with the problem fed back to the model.
import { APIError, type OpenAI } from "openai";
import { AppError, errorMessage } from "../../errors.js";
import type { Logger } from "../../log.js";
import type { Outline, ScriptWriter, Speaker, Turn, WriterInput } from "../../core/model.js";
import { extractJson } from "./extract-json.js";
import { outlineMessages, segmentMessages, type ChatMessage } from "./prompts.js";
import type { RetryPolicy } from "../../core/resilience/backoff.js";
import { withRetries } from "../../core/resilience/retry.js";
import { LLM_RETRY, LLM_WHAT, toAppError } from "./provider-errors.js";
import {
  formatIssues,
  OUTLINE_FORMAT,
  outlineJsonSchema,
  outlineSchema,
  TURNS_FORMAT,
  turnsJsonSchema,
  turnsSchema,
} from "./schemas.js";

export interface OpenAiWriterOptions {
  client: OpenAI;
  model: string;
  log: Logger;
  /** Per request; a local model on a CPU can take minutes for a long segment. */
  timeoutMs?: number | undefined;
  retry?: RetryPolicy | undefined;
  /** Further attempts after a malformed reply, each with the problem fed back. */
  repairAttempts?: number | undefined;
  /**
   * OpenAI's newer models accept only max_completion_tokens; most compatible servers know only
   * max_tokens. The registry picks by whether a custom base URL is set.
   */
  tokenLimitField?: "max_completion_tokens" | "max_tokens" | undefined;
}

type Check<T> = { ok: true; value: T } | { ok: false; reason: string };

const DEFAULT_TIMEOUT_MS = 180_000;
const FEEDBACK_REPLY_CHARS = 4000;

/**
 * Small models wrap or unwrap the answer: a bare list, or {"outline": {"segments": …}}. Both are
 * read as meant; anything else goes to validation as it is.
 */
function unwrap(value: unknown, key: string): unknown {
  if (Array.isArray(value)) return { [key]: value };
  if (!value || typeof value !== "object" || key in value) return value;
  const entries = Object.values(value);
  if (entries.length !== 1) return value;
  const only = entries[0];
  if (Array.isArray(only)) return { [key]: only };
  if (only && typeof only === "object" && key in only) return only;
  return value;
}

export function checkOutline(value: unknown, numSegments: number): Check<Outline> {
  const wrapped = unwrap(value, "segments");
  const parsed = outlineSchema(numSegments).safeParse(wrapped);
  if (!parsed.success) return { ok: false, reason: formatIssues(parsed.error) };
  return { ok: true, value: { segments: parsed.data.segments } };
}

/** Validates the shape and maps each speaker, case-insensitively, onto the profile's spelling. */
export function checkTurns(value: unknown, speakers: Speaker[], segment: number): Check<Turn[]> {
  const wrapped = unwrap(value, "turns");
  const parsed = turnsSchema.safeParse(wrapped);
  if (!parsed.success) return { ok: false, reason: formatIssues(parsed.error) };
  const canonical = new Map(speakers.map((s) => [s.name.trim().toLowerCase(), s.name]));
  const allowed = speakers.map((s) => s.name).join(", ");
  const problems: string[] = [];
  const turns = parsed.data.turns.map((t, i) => {
    const name = canonical.get(t.speaker.toLowerCase());
    if (!name)
      problems.push(
        `turns[${i}].speaker: "${t.speaker}" is not a speaker of this episode (use exactly one of: ${allowed})`,
      );
    return { speaker: name ?? t.speaker, text: t.text, segment };
  });
  if (problems.length) return { ok: false, reason: problems.slice(0, 5).join("; ") };
  return { ok: true, value: turns };
}

export class OpenAiWriter implements ScriptWriter {
  readonly name: string;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #repairAttempts: number;
  /** Turned off for good if the server refuses response_format json_schema. */
  #structuredOutput = true;

  readonly #opts: OpenAiWriterOptions;
  constructor(opts: OpenAiWriterOptions) {
    this.#opts = opts;
    this.name = `openai:${opts.model}`;
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#retry = opts.retry ?? LLM_RETRY;
    this.#repairAttempts = opts.repairAttempts ?? 2;
  }

  async outline(input: WriterInput, signal: AbortSignal): Promise<Outline> {
    return this.#structured(
      "outline",
      outlineMessages(input),
      { name: OUTLINE_FORMAT, schema: outlineJsonSchema(input.numSegments) },
      (v) => checkOutline(v, input.numSegments),
      input.maxTokens,
      signal,
    );
  }

  async segment(
    input: WriterInput,
    outline: Outline,
    index: number,
    before: string,
    signal: AbortSignal,
  ): Promise<Turn[]> {
    if (!outline.segments[index]) {
      throw new AppError(
        "internal",
        `segment index ${index} is outside the outline (${outline.segments.length} segments)`,
      );
    }
    return this.#structured(
      `segment ${index + 1} of ${outline.segments.length}`,
      segmentMessages(input, outline, index, before),
      { name: TURNS_FORMAT, schema: turnsJsonSchema(input.speakers) },
      (v) => checkTurns(v, input.speakers, index),
      input.maxTokens,
      signal,
    );
  }

  async #structured<T>(
    label: string,
    base: ChatMessage[],
    format: { name: string; schema: Record<string, unknown> },
    check: (value: unknown) => Check<T>,
    maxTokens: number | undefined,
    signal: AbortSignal,
  ): Promise<T> {
    const what = `LLM ${this.name} (${label})`;
    const messages = [...base];
    let reason = "";
    for (let attempt = 0; attempt <= this.#repairAttempts; attempt++) {
      const reply = await withRetries(() => this.#complete(messages, format, maxTokens, signal, what), {
        ...this.#retry,
        maxRetryAfterMs: this.#retry.maxDelayMs,
        signal,
        what: LLM_WHAT,
        onRetry: ({ attempt, delayMs, error }) =>
          this.#opts.log.warn({ attempt, delayMs, err: errorMessage(error) }, "LLM request failed, retrying"),
      });
      const choice = reply.choices[0];
      const content = choice?.message?.content ?? "";
      const refusal = choice?.message?.refusal;
      let result: Check<T>;
      if (refusal) result = { ok: false, reason: `the model refused: ${refusal}` };
      else {
        const extracted = extractJson(content);
        result = extracted.ok ? check(extracted.value) : extracted;
      }
      if (result.ok) return result.value;
      reason =
        result.reason +
        (choice?.finish_reason === "length" ? " (the reply was cut off at the token limit; be more concise)" : "");
      this.#opts.log.warn({ what, attempt: attempt + 1, reason }, "LLM reply did not follow the rules");
      messages.push(
        { role: "assistant", content: content.slice(0, FEEDBACK_REPLY_CHARS) },
        {
          role: "user",
          content: `Your reply was not valid: ${reason}. Reply again with only the corrected JSON object, following every rule above.`,
        },
      );
    }
    throw new AppError(
      "provider_permanent",
      `${what} gave no valid reply in ${this.#repairAttempts + 1} attempts; last problem: ${reason}`,
    );
  }

  async #complete(
    messages: ChatMessage[],
    format: { name: string; schema: Record<string, unknown> },
    maxTokens: number | undefined,
    signal: AbortSignal,
    what: string,
  ): Promise<OpenAI.Chat.Completions.ChatCompletion> {
    const limitField = this.#opts.tokenLimitField ?? "max_completion_tokens";
    // The SDK leaves a listener on the signal it is given; one job's signal sees dozens of
    // requests, so each gets its own controller, unlinked when the request ends.
    const request = new AbortController();
    const onAbort = () => request.abort(signal.reason);
    if (signal.aborted) request.abort(signal.reason);
    else signal.addEventListener("abort", onAbort, { once: true });
    try {
      return await this.#opts.client.chat.completions.create(
        {
          model: this.#opts.model,
          messages,
          ...(this.#structuredOutput
            ? {
                response_format: {
                  type: "json_schema",
                  json_schema: { name: format.name, strict: true, schema: format.schema },
                } as const,
              }
            : {}),
          ...(maxTokens ? { [limitField]: maxTokens } : {}),
        },
        { signal: request.signal, timeout: this.#timeoutMs, maxRetries: 0 },
      );
    } catch (err) {
      // A server that rejects json_schema outright still gets the shape from the prompt, and the
      // reply is parsed and validated either way.
      if (
        this.#structuredOutput &&
        err instanceof APIError &&
        (err.status === 400 || err.status === 422) &&
        /response_format|json_schema/i.test(err.message)
      ) {
        this.#structuredOutput = false;
        this.#opts.log.warn({ what, err: err.message }, "the server refused structured output; asking without it");
        return this.#complete(messages, format, maxTokens, signal, what);
      }
      throw toAppError(err, what, signal, this.#timeoutMs);
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }
}
