// The writer that asks the model of the MCP client that submitted the episode (MCP sampling), so an
// agent's user gets a real conversation with no API key on the server. It sends the same prompts
// as the LLM writer and trusts the replies no more: each is extracted, validated and checked
// against the profile's speakers, and a malformed one is asked again with the problem fed back.
// How a request reaches the client (through the database to the server process that holds the
// session) is the ClientModel's business: src/sampling.
import { AppError } from "../../errors.js";
import type { Logger } from "../../log.js";
import type { Outline, ScriptWriter, Turn, WriterInput } from "../../core/model.js";
import { extractJson } from "./extract-json.js";
import { checkOutline, checkTurns } from "./openai-writer.js";
import { outlineMessages, segmentMessages, type ChatMessage } from "./prompts.js";

/** One request to the client's model, as plain chat messages. */
export interface ClientModelRequest {
  /** What it is for ("outline", "segment 2 of 4"): logs, and the request's row. */
  purpose: string;
  systemPrompt: string;
  messages: { role: "user" | "assistant"; text: string }[];
  maxTokens: number;
}

export interface ClientModelReply {
  text: string;
  /** The model the client used, as it reports it. */
  model?: string | undefined;
  /** "endTurn", "maxTokens", … as the client reports it. */
  stopReason?: string | undefined;
}

export interface ClientModel {
  /** Who answers ("claude-ai 0.1.0"): part of the writer's name, so an episode says which client wrote it. */
  readonly client: string;
  /**
   * Throws AppError: provider_permanent when the client refused or its session is gone,
   * provider_transient on a timeout.
   */
  complete(request: ClientModelRequest, signal: AbortSignal): Promise<ClientModelReply>;
}

/**
 * Sampling requests must name a token limit. A segment of 20 turns of 40 words is ~1,100 tokens of
 * JSON; 8,000 leaves room for a long target length and for models that think before answering.
 */
export const DEFAULT_SAMPLING_MAX_TOKENS = 8_000;
const FEEDBACK_REPLY_CHARS = 4000;

type Check<T> = { ok: true; value: T } | { ok: false; reason: string };

export class ClientWriter implements ScriptWriter {
  readonly name: string;
  readonly #model: ClientModel;
  readonly #log: Logger;
  readonly #repairAttempts: number;

  constructor(model: ClientModel, log: Logger, opts: { repairAttempts?: number } = {}) {
    this.#model = model;
    this.#log = log;
    this.name = `client:${model.client}`;
    this.#repairAttempts = opts.repairAttempts ?? 2;
  }

  outline(input: WriterInput, signal: AbortSignal): Promise<Outline> {
    return this.#structured(
      "outline",
      outlineMessages(input),
      (v) => checkOutline(v, input.numSegments),
      input.maxTokens,
      signal,
    );
  }

  segment(input: WriterInput, outline: Outline, index: number, before: string, signal: AbortSignal): Promise<Turn[]> {
    if (!outline.segments[index]) {
      throw new AppError(
        "internal",
        `segment index ${index} is outside the outline (${outline.segments.length} segments)`,
      );
    }
    const label = `segment ${index + 1} of ${outline.segments.length}`;
    const check = (v: unknown) => checkTurns(v, input.speakers, index);
    return this.#structured(label, segmentMessages(input, outline, index, before), check, input.maxTokens, signal);
  }

  async #structured<T>(
    label: string,
    base: ChatMessage[],
    check: (v: unknown) => Check<T>,
    maxTokens: number | undefined,
    signal: AbortSignal,
  ): Promise<T> {
    const systemPrompt = base
      .filter((m) => m.role === "system")
      .map((m) => m.content)
      .join("\n\n");
    const messages = base.flatMap((m) => (m.role === "system" ? [] : [{ role: m.role, text: m.content }]));
    const what = `the client's model (${this.#model.client}, ${label})`;
    let reason = "";
    for (let attempt = 0; attempt <= this.#repairAttempts; attempt++) {
      const reply = await this.#model.complete(
        { purpose: label, systemPrompt, messages, maxTokens: maxTokens ?? DEFAULT_SAMPLING_MAX_TOKENS },
        signal,
      );
      const extracted = extractJson(reply.text);
      const result = extracted.ok ? check(extracted.value) : extracted;
      if (result.ok) return result.value;
      reason =
        result.reason +
        (reply.stopReason === "maxTokens" ? " (the reply was cut off at the token limit; be more concise)" : "");
      this.#log.warn({ what, attempt: attempt + 1, reason }, "client model reply did not follow the rules");
      messages.push(
        { role: "assistant", text: reply.text.slice(0, FEEDBACK_REPLY_CHARS) },
        {
          role: "user",
          text:
            `Your reply was not valid: ${reason}. ` +
            "Reply again with only the corrected JSON object, following every rule above.",
        },
      );
    }
    throw new AppError(
      "provider_permanent",
      `${what} gave no valid reply in ${this.#repairAttempts + 1} attempts; last problem: ${reason}`,
    );
  }
}
