// Picks the script writer for a profile's provider name. "auto" means: a model when the writer
// endpoint is configured (LLM_* or OPENAI_*: a key, or a base URL of a local compatible server);
// else the model of the MCP client that submitted the episode, when it declared sampling; else the
// offline writer. "client" is built by the episode's runner (src/maker), which knows the submitting session.
import OpenAI from "openai";
import { isConfigured, type Config } from "../../config.js";
import { AppError } from "../../errors.js";
import type { Logger } from "../../log.js";
import type { LlmProviderName, ScriptWriter } from "../../core/model.js";
import { OfflineWriter } from "./offline-writer.js";
import { OpenAiWriter } from "./openai-writer.js";

/** Local servers (Ollama, LM Studio, vLLM) need no key, but the SDK insists on one. */
const PLACEHOLDER_KEY = "not-needed";

export type ResolvedLlmProvider = Exclude<LlmProviderName, "auto">;

/** `clientSampling`: the MCP client that submitted the episode can be asked (it declared sampling). */
export function resolveLlmProvider(
  provider: LlmProviderName,
  config: Pick<Config, "llm">,
  opts: { clientSampling?: boolean } = {},
): ResolvedLlmProvider {
  if (provider !== "auto") return provider;
  if (isConfigured(config.llm)) return "openai";
  return opts.clientSampling ? "client" : "builtin";
}

/** What a profile's empty model means on the writer endpoint: LLM_MODEL, else OpenAI's small model. */
export const DEFAULT_LLM_MODEL = "gpt-4o-mini";

export function createWriter(
  provider: LlmProviderName,
  model: string,
  config: Config,
  log: Logger,
  opts: { timeoutMs?: number } = {},
): ScriptWriter {
  const resolved = resolveLlmProvider(provider, config);
  if (resolved === "builtin") return new OfflineWriter();
  if (resolved === "client") {
    throw new AppError(
      "invalid_input",
      'LLM provider "client" asks the model of the MCP client that submitted the episode (MCP sampling); this run has no such client',
    );
  }
  const { apiKey, baseUrl } = config.llm;
  if (!apiKey && !baseUrl) {
    throw new AppError(
      "provider_auth",
      'LLM provider "openai" needs LLM_API_KEY or OPENAI_API_KEY (or LLM_BASE_URL / OPENAI_BASE_URL for a local compatible server); set one, or use provider "builtin" or "auto"',
    );
  }
  // A profile may name its model; an empty one means the endpoint's (LLM_MODEL).
  model = model.trim() || config.llm.model || DEFAULT_LLM_MODEL;
  const client = new OpenAI({
    apiKey: apiKey ?? PLACEHOLDER_KEY,
    // null, not undefined: the config already read OPENAI_BASE_URL, and null selects the SDK's default.
    baseURL: baseUrl ?? null,
    maxRetries: 0,
  });
  return new OpenAiWriter({
    client,
    model,
    log: log.child({ writer: `openai:${model}` }),
    timeoutMs: opts.timeoutMs,
    tokenLimitField: baseUrl ? "max_tokens" : "max_completion_tokens",
  });
}
