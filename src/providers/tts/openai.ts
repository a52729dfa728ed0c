// OpenAI speech (and OpenAI-compatible servers such as Kokoro-FastAPI) through the `openai` SDK.
// One attempt per call: retries, timeouts and the concurrency limit live in resilient.ts, so the
// SDK's own retries are off (maxRetries: 0) and Retry-After is honoured in one place.
import OpenAI from "openai";
import { AppError, invalidInput } from "../../errors.js";
import type { Logger } from "../../log.js";
import type { Pcm, SpeechRequest, TtsEngine } from "../../core/model.js";
import { connectionError, httpStatusError } from "../../core/resilience/http-status.js";
import { s16leToPcm } from "./pcm.js";
import { canceledError } from "../../core/resilience/sleep.js";

export const OPENAI_VOICES = [
  "alloy",
  "ash",
  "ballad",
  "coral",
  "echo",
  "fable",
  "nova",
  "onyx",
  "sage",
  "shimmer",
  "verse",
  "marin",
  "cedar",
] as const;
export const OPENAI_TTS_MODELS = ["tts-1", "tts-1-hd", "gpt-4o-mini-tts"] as const;
/** `response_format: "pcm"` is 24 kHz signed 16-bit little-endian mono, at OpenAI and at Kokoro. */
export const OPENAI_PCM_RATE = 24000;
export const OPENAI_SPEED = { min: 0.25, max: 4 } as const;

export interface OpenAiTtsOptions {
  apiKey: string | undefined;
  /** A compatible server's base URL (…/v1). Unset: api.openai.com. */
  baseUrl: string | undefined;
}

/** Voice lists of compatible servers, per base URL and process; null = the server has none to offer. */
const serverVoices = new Map<string, Promise<Set<string> | null>>();

export class OpenAiTtsEngine implements TtsEngine {
  readonly provider = "openai";
  readonly concurrency = 4;
  readonly #client: OpenAI;
  /** api.openai.com: the voice and model lists are known. A compatible server has its own. */
  readonly #official: boolean;

  readonly #opts: OpenAiTtsOptions;
  readonly #log: Logger;
  constructor(opts: OpenAiTtsOptions, log: Logger) {
    this.#log = log;
    this.#opts = opts;
    this.#official = !opts.baseUrl || new URL(opts.baseUrl).hostname === "api.openai.com";
    this.#client = new OpenAI({
      // Local compatible servers usually want no key, but the SDK insists on one.
      apiKey: opts.apiKey ?? "no-key",
      baseURL: opts.baseUrl ?? null,
      maxRetries: 0,
    });
  }

  /**
   * api.openai.com: the voice must be one of OPENAI_VOICES and the model one of OPENAI_TTS_MODELS
   * (or a dated gpt-4o-mini-tts-*), and OPENAI_API_KEY must be set. A compatible server: any
   * model; the voice is checked against GET {base}/audio/voices when the server offers that list
   * (Kokoro does; a blend such as "af_bella+af_sky" is checked part by part), else accepted.
   */
  async checkVoice(voice: string, model: string): Promise<void> {
    if (this.#official) {
      if (!this.#opts.apiKey)
        throw new AppError("provider_auth", "openai: OPENAI_API_KEY is not set (needed for OpenAI text-to-speech)");
      if (!(OPENAI_VOICES as readonly string[]).includes(voice)) {
        throw invalidInput("voice_id", `"${voice}" is not an OpenAI voice; use one of ${OPENAI_VOICES.join(", ")}`);
      }
      if (!(OPENAI_TTS_MODELS as readonly string[]).includes(model) && !model.startsWith("gpt-4o-mini-tts-")) {
        throw invalidInput(
          "tts_model",
          `"${model}" is not an OpenAI speech model; use one of ${OPENAI_TTS_MODELS.join(", ")}`,
        );
      }
      return;
    }
    const known = await this.#serverVoiceList();
    if (!known) return;
    const parts = voice.split("+").map((p) => p.replace(/\([^)]*\)$/, "").trim());
    const unknown = parts.filter((p) => !known.has(p));
    if (unknown.length > 0) {
      const sample = [...known].slice(0, 12).join(", ");
      throw invalidInput(
        "voice_id",
        `"${unknown.join("+")}" is not a voice of the speech server at the configured OPENAI_BASE_URL; it offers ${sample}${known.size > 12 ? ", …" : ""}`,
      );
    }
  }

  async synthesize(req: SpeechRequest, signal: AbortSignal): Promise<Pcm> {
    const speed = req.settings?.speed;
    if (speed !== undefined && !(speed >= OPENAI_SPEED.min && speed <= OPENAI_SPEED.max)) {
      throw invalidInput(
        "settings.speed",
        `must be between ${OPENAI_SPEED.min} and ${OPENAI_SPEED.max} for OpenAI speech (got ${speed})`,
      );
    }
    const params: OpenAI.Audio.SpeechCreateParams = {
      model: req.model,
      voice: req.voice,
      input: req.text,
      response_format: "pcm",
    };
    if (speed !== undefined) params.speed = speed;
    // Only the gpt-4o-mini-tts family reads instructions; tts-1 would refuse the request.
    if (req.settings?.instructions && req.model.startsWith("gpt-4o-mini-tts"))
      params.instructions = req.settings.instructions;
    let bytes: Uint8Array;
    try {
      const response = await this.#client.audio.speech.create(params, { signal });
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (err) {
      throw mapOpenAiError(err, signal);
    }
    if (bytes.byteLength < 2)
      throw new AppError("provider_transient", `openai: the speech server returned no audio for voice ${req.voice}`);
    return s16leToPcm(bytes, OPENAI_PCM_RATE);
  }

  #serverVoiceList(): Promise<Set<string> | null> {
    const key = this.#opts.baseUrl ?? "";
    let list = serverVoices.get(key);
    if (!list) {
      list = this.#client
        .get<unknown>("/audio/voices", { signal: AbortSignal.timeout(10_000) })
        .then(parseVoiceList)
        .catch((err: unknown) => {
          this.#log.debug({ err: String(err) }, "speech server has no voice list; accepting any voice id");
          return null;
        });
      serverVoices.set(key, list);
    }
    return list;
  }
}

/** Kokoro answers { voices: ["af_bella", …] }; accept objects with id/name/voice_id too. */
function parseVoiceList(body: unknown): Set<string> | null {
  const raw = Array.isArray(body) ? body : (body as { voices?: unknown } | null)?.voices;
  if (!Array.isArray(raw)) return null;
  const ids = raw
    .map((v) =>
      typeof v === "string"
        ? v
        : ((v as Record<string, unknown>)?.id ??
          (v as Record<string, unknown>)?.voice_id ??
          (v as Record<string, unknown>)?.name),
    )
    .filter((v): v is string => typeof v === "string");
  return ids.length > 0 ? new Set(ids) : null;
}

export function mapOpenAiError(err: unknown, signal: AbortSignal): AppError {
  if (err instanceof AppError) return err;
  if (signal.aborted) return canceledError(signal, "speech synthesis");
  if (err instanceof OpenAI.APIError && typeof err.status === "number") {
    const detail = (err.error as { message?: string } | undefined)?.message ?? err.message;
    return httpStatusError({
      provider: "openai",
      status: err.status,
      header: (name) => err.headers?.get(name),
      detail,
      cause: err,
    });
  }
  // APIConnectionError (refused, reset, DNS) and a body cut off mid-stream: no usable answer.
  return connectionError("openai", err);
}
