// A fake of OpenAI's speech endpoint (and of compatible servers such as Kokoro-FastAPI) speaking
// the real wire format: POST {base}/audio/speech with a JSON body → raw audio bytes.
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

// The server's own voice list, written out here on purpose rather than imported from the engine:
// the fake stands for OpenAI, so a voice our code accepts but the server would refuse shows up.
export const OPENAI_SPEECH_VOICES = [
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
];

export interface OpenAiSpeechFakeOptions extends SpeechFakeOptions {
  /**
   * Kokoro mode: serve GET {base}/audio/voices with this list and accept only these voices.
   * Unset: behave like api.openai.com (no voice list endpoint, the OpenAI voices).
   */
  voices?: string[];
}

const openAiError = (status: number, message: string) => ({
  error: {
    message,
    type: status === 401 ? "invalid_request_error" : status === 429 ? "requests" : "server_error",
    param: null,
    code: status === 401 ? "invalid_api_key" : null,
  },
});

export function fakeOpenAiSpeech(opts: OpenAiSpeechFakeOptions = {}): SpeechFake {
  const stats = newStats();
  const failures: FailureStep[] = [...(opts.failures ?? [])];
  const key = opts.apiKey ?? "test-key";
  const voices = new Set(opts.voices ?? OPENAI_SPEECH_VOICES);

  const handler: SpeechFake["handler"] = async (req, body, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    if (req.method === "GET" && url.pathname.endsWith("/audio/voices") && opts.voices) {
      return sendJson(res, 200, { voices: [...voices] });
    }
    if (req.method !== "POST" || !url.pathname.endsWith("/audio/speech")) return false;
    track(stats, res);
    if (req.headers.authorization !== `Bearer ${key}`) {
      return sendJson(res, 401, openAiError(401, "Incorrect API key provided."));
    }
    if (playFailure(failures, res, openAiError)) return true;
    let params: { model?: unknown; voice?: unknown; input?: unknown; response_format?: unknown; speed?: unknown };
    try {
      params = JSON.parse(body);
    } catch {
      return sendJson(res, 400, openAiError(400, "We could not parse the JSON body of your request."));
    }
    const { model, voice, input } = params;
    if (typeof model !== "string" || typeof voice !== "string" || typeof input !== "string" || input === "") {
      return sendJson(res, 400, openAiError(400, "model, voice and input are required"));
    }
    if (!voices.has(voice)) return sendJson(res, 400, openAiError(400, `Invalid voice '${voice}'.`));
    if (params.response_format !== "pcm")
      return sendJson(res, 400, openAiError(400, "this fake only speaks response_format pcm"));
    const speed = typeof params.speed === "number" ? params.speed : 1;
    if (speed < 0.25 || speed > 4) return sendJson(res, 400, openAiError(400, "speed must be between 0.25 and 4"));
    if (!(await delay(opts.latencyMs ?? 0, res))) return true;
    stats.synthesized++;
    res.writeHead(200, { "content-type": "audio/pcm" }).end(toneBytes(voice, input, 24000, speed, opts.msPerChar));
    return true;
  };
  return { handler, stats, fail: (...steps) => failures.push(...steps) };
}
