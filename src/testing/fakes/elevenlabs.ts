// A fake of the ElevenLabs API speaking its real wire format: POST /v1/text-to-speech/{voice_id}
// ?output_format=pcm_<rate> (header xi-api-key, snake_case JSON body) → raw s16le bytes, and
// GET /v1/voices → { voices: [{ voice_id, name, category }] }.
import {
  delay,
  newStats,
  playFailure,
  sendJson,
  toneBytes,
  track,
  type FailureStep,
  type SpeechFake,
  type SpeechFakeOptions,
} from "./speech-common.js";

/** Two of ElevenLabs' premade voices (Rachel, George) plus one invented id. */
export const ELEVENLABS_FAKE_VOICES = [
  { voice_id: "21m00Tcm4TlvDq8ikWAM", name: "Rachel", category: "premade" },
  { voice_id: "JBFqnCBsd6RMkjVDRZzb", name: "George", category: "premade" },
  { voice_id: "fakeCloneVoice000001", name: "My clone", category: "cloned" },
];

export interface ElevenLabsFakeOptions extends SpeechFakeOptions {
  voices?: Array<{ voice_id: string; name: string; category?: string }>;
}

const elevenError = (status: number, message: string) => ({
  detail: {
    status: status === 401 ? "invalid_api_key" : status === 429 ? "too_many_concurrent_requests" : "error",
    message,
  },
});

export interface ElevenLabsFake extends SpeechFake {
  /** GET /v1/voices calls seen (the engine should cache the list per process). */
  voiceListCalls(): number;
}

export function fakeElevenLabs(opts: ElevenLabsFakeOptions = {}): ElevenLabsFake {
  const stats = newStats();
  const failures: FailureStep[] = [...(opts.failures ?? [])];
  const key = opts.apiKey ?? "test-key";
  const voices = opts.voices ?? ELEVENLABS_FAKE_VOICES;
  let listCalls = 0;

  const handler: SpeechFake["handler"] = async (req, body, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const isList = req.method === "GET" && url.pathname === "/v1/voices";
    const tts = req.method === "POST" ? /^\/v1\/text-to-speech\/([^/]+)$/.exec(url.pathname) : null;
    if (!isList && !tts) return false;
    if (isList) listCalls++;
    else track(stats, res);
    if (req.headers["xi-api-key"] !== key) return sendJson(res, 401, elevenError(401, "Invalid API key"));
    if (isList) return sendJson(res, 200, { voices });
    if (playFailure(failures, res, elevenError)) return true;
    const voiceId = decodeURIComponent(tts![1]!);
    if (!voices.some((v) => v.voice_id === voiceId)) {
      return sendJson(res, 404, {
        detail: { status: "voice_not_found", message: `A voice with the voice_id ${voiceId} was not found.` },
      });
    }
    const format = /^pcm_(\d+)$/.exec(url.searchParams.get("output_format") ?? "");
    if (!format) return sendJson(res, 422, elevenError(422, "this fake only speaks output_format=pcm_<rate>"));
    let params: { text?: unknown; model_id?: unknown; voice_settings?: { speed?: unknown } };
    try {
      params = JSON.parse(body);
    } catch {
      return sendJson(res, 400, elevenError(400, "invalid JSON body"));
    }
    if (typeof params.text !== "string" || params.text === "")
      return sendJson(res, 422, elevenError(422, "text is required"));
    const speed = typeof params.voice_settings?.speed === "number" ? params.voice_settings.speed : 1;
    if (!(await delay(opts.latencyMs ?? 0, res))) return true;
    stats.synthesized++;
    res
      .writeHead(200, { "content-type": "audio/pcm" })
      .end(toneBytes(voiceId, params.text, Number(format[1]), speed, opts.msPerChar));
    return true;
  };
  return { handler, stats, fail: (...steps) => failures.push(...steps), voiceListCalls: () => listCalls };
}
