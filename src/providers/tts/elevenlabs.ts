// ElevenLabs speech through `@elevenlabs/elevenlabs-js`, loaded on first use so processes that
// never speak through ElevenLabs do not pay for the (large) SDK. One attempt per call: retries,
// timeouts and the concurrency limit live in resilient.ts (the SDK's retries are off).
import { AppError, invalidInput } from "../../errors.js";
import type { Logger } from "../../log.js";
import type { Pcm, SpeechRequest, TtsEngine } from "../../core/model.js";
import { connectionError, httpStatusError } from "../../core/resilience/http-status.js";
import { s16leToPcm } from "./pcm.js";
import { canceledError } from "../../core/resilience/sleep.js";

type Sdk = typeof import("@elevenlabs/elevenlabs-js");
type Client = InstanceType<Sdk["ElevenLabsClient"]>;

export const ELEVENLABS_PCM_RATE = 24000;
export const ELEVENLABS_DEFAULT_MODEL = "eleven_multilingual_v2";
export const ELEVENLABS_SPEED = { min: 0.7, max: 1.2 } as const;

export interface ElevenLabsTtsOptions {
  apiKey: string | undefined;
  /** Another endpoint (a regional one, a proxy, a fake). Unset: the SDK's production URL. */
  baseUrl: string | undefined;
}

let sdk: Promise<Sdk> | undefined;
const loadSdk = () => (sdk ??= import("@elevenlabs/elevenlabs-js"));

/** The account's voice ids, per base URL + key and process: voices change rarely, jobs often. */
const voiceLists = new Map<string, Promise<Set<string>>>();

export class ElevenLabsTtsEngine implements TtsEngine {
  readonly provider = "elevenlabs";
  /** Free and starter plans allow 2 requests at once; more get 429 too_many_concurrent_requests. */
  readonly concurrency = 2;
  #client: Promise<Client> | undefined;

  readonly #opts: ElevenLabsTtsOptions;
  readonly #log: Logger;
  constructor(opts: ElevenLabsTtsOptions, log: Logger) {
    this.#log = log;
    this.#opts = opts;
  }

  /** The voice must be one the account can use (GET /v1/voices, fetched once per process). The model is not checked. */
  async checkVoice(voice: string, _model: string): Promise<void> {
    const known = await this.#voiceList();
    if (!known.has(voice)) {
      throw invalidInput(
        "voice_id",
        `"${voice}" is not a voice of this ElevenLabs account (use a voice_id from GET /v1/voices, e.g. ${[...known].slice(0, 3).join(", ")})`,
      );
    }
  }

  async synthesize(req: SpeechRequest, signal: AbortSignal): Promise<Pcm> {
    const s = req.settings ?? {};
    if (s.speed !== undefined && !(s.speed >= ELEVENLABS_SPEED.min && s.speed <= ELEVENLABS_SPEED.max)) {
      throw invalidInput(
        "settings.speed",
        `must be between ${ELEVENLABS_SPEED.min} and ${ELEVENLABS_SPEED.max} for ElevenLabs (got ${s.speed})`,
      );
    }
    for (const k of ["stability", "style"] as const) {
      const v = s[k];
      if (v !== undefined && !(v >= 0 && v <= 1))
        throw invalidInput(`settings.${k}`, `must be between 0 and 1 (got ${v})`);
    }
    const voiceSettings = {
      ...(s.stability !== undefined && { stability: s.stability }),
      ...(s.style !== undefined && { style: s.style }),
      ...(s.speed !== undefined && { speed: s.speed }),
    };
    const modelId = req.model || ELEVENLABS_DEFAULT_MODEL;
    // Only the v2.5 models (Flash, Turbo) take a language code; the others detect the language
    // themselves and refuse the field.
    const languageCode = /_v2_5$/.test(modelId) && req.language ? req.language.split("-")[0]!.toLowerCase() : undefined;
    let bytes: Uint8Array;
    try {
      const client = await this.#getClient();
      const stream = await client.textToSpeech.convert(
        req.voice,
        {
          text: req.text,
          modelId,
          outputFormat: `pcm_${ELEVENLABS_PCM_RATE}`,
          ...(languageCode && { languageCode }),
          ...(Object.keys(voiceSettings).length > 0 && { voiceSettings }),
        },
        { abortSignal: signal, maxRetries: 0 },
      );
      bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    } catch (err) {
      throw await mapElevenLabsError(err, signal);
    }
    if (bytes.byteLength < 2)
      throw new AppError("provider_transient", `elevenlabs: no audio returned for voice ${req.voice}`);
    return s16leToPcm(bytes, ELEVENLABS_PCM_RATE);
  }

  #getClient(): Promise<Client> {
    if (!this.#opts.apiKey)
      return Promise.reject(
        new AppError(
          "provider_auth",
          "elevenlabs: ELEVENLABS_API_KEY is not set (needed for ElevenLabs text-to-speech)",
        ),
      );
    this.#client ??= loadSdk().then(
      ({ ElevenLabsClient }) =>
        new ElevenLabsClient({
          apiKey: this.#opts.apiKey!,
          ...(this.#opts.baseUrl && { baseUrl: this.#opts.baseUrl }),
          maxRetries: 0,
        }),
    );
    return this.#client;
  }

  #voiceList(): Promise<Set<string>> {
    const key = `${this.#opts.baseUrl ?? ""}\u0000${this.#opts.apiKey ?? ""}`;
    let list = voiceLists.get(key);
    if (!list) {
      const signal = AbortSignal.timeout(15_000);
      list = this.#getClient()
        .then((c) => c.voices.getAll({}, { abortSignal: signal, maxRetries: 0 }))
        .then((r) => new Set(r.voices.map((v) => v.voiceId)))
        .catch(async (err: unknown) => {
          voiceLists.delete(key); // a failure is not cached: the next job asks again
          throw await mapElevenLabsError(err, signal);
        });
      voiceLists.set(key, list);
      void list.then(
        (set) => this.#log.debug({ voices: set.size }, "elevenlabs voice list loaded"),
        () => {},
      );
    }
    return list;
  }
}

export async function mapElevenLabsError(err: unknown, signal: AbortSignal): Promise<AppError> {
  if (err instanceof AppError) return err;
  if (signal.aborted) return canceledError(signal, "speech synthesis");
  const { ElevenLabsError, ElevenLabsTimeoutError } = await loadSdk();
  if (err instanceof ElevenLabsTimeoutError)
    return new AppError("provider_transient", `elevenlabs: request timed out`, { cause: err });
  if (err instanceof ElevenLabsError && typeof err.statusCode === "number") {
    const headers = err.rawResponse?.headers;
    return httpStatusError({
      provider: "elevenlabs",
      status: err.statusCode,
      header: (name) => headers?.get(name),
      detail: detailOf(err.body) ?? err.message,
      cause: err,
    });
  }
  return connectionError("elevenlabs", err);
}

/** ElevenLabs errors look like { detail: { status, message } } or { detail: "text" }. */
function detailOf(body: unknown): string | undefined {
  const detail = (body as { detail?: unknown } | null | undefined)?.detail;
  if (typeof detail === "string") return detail;
  const msg = (detail as { message?: unknown } | undefined)?.message;
  return typeof msg === "string" ? msg : undefined;
}
