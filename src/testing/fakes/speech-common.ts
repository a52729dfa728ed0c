// Shared parts of the speech-provider fakes: a failure script, in-flight counting and audio that
// is real PCM (a voiced tone whose pitch depends on the voice and whose length follows the text),
// so tests can tell voices apart and check lengths without any paid API.
import type http from "node:http";
import { pcmToS16le } from "../../providers/tts/pcm.js";

/** What the fake does instead of answering, for one request. */
export type FailureStep =
  | { status: number; retryAfter?: string; message?: string }
  | { hang: true } // never answer; the client's timeout must fire
  | { reset: true }; // drop the connection

export interface SpeechFakeOptions {
  /** The only key accepted; anything else gets 401. */
  apiKey?: string;
  /** Delay before each synthesis answer. */
  latencyMs?: number;
  /** Consumed in order, one step per synthesis request; when empty the fake answers normally. */
  failures?: FailureStep[];
  /** Spoken length per character at speed 1. */
  msPerChar?: number;
}

export interface SpeechFakeStats {
  /** Synthesis requests received (failed ones included). */
  requests: number;
  /** Requests answered with audio. */
  synthesized: number;
  inFlight: number;
  maxInFlight: number;
  /** Arrival time (ms since epoch) of each synthesis request, in order. */
  arrivals: number[];
}

/** Same shape as test/fakes/server.ts's FakeHandler (it may ignore the trailing arguments). */
export type SpeechFakeHandler = (
  req: http.IncomingMessage,
  body: string,
  res: http.ServerResponse,
) => boolean | Promise<boolean>;

export interface SpeechFake {
  handler: SpeechFakeHandler;
  stats: SpeechFakeStats;
  /** Appends failure steps while the fake is running. */
  fail(...steps: FailureStep[]): void;
}

export function newStats(): SpeechFakeStats {
  return { requests: 0, synthesized: 0, inFlight: 0, maxInFlight: 0, arrivals: [] };
}

/** Counts the request as in flight until its response closes, however it ends. */
export function track(stats: SpeechFakeStats, res: http.ServerResponse): void {
  stats.requests++;
  stats.arrivals.push(Date.now());
  stats.inFlight++;
  stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
  res.once("close", () => stats.inFlight--);
}

/**
 * Plays the next failure step, if any. Returns true when the request was handled (answered with an
 * error, left hanging or reset). `errorBody` renders the provider's own error JSON.
 */
export function playFailure(
  failures: FailureStep[],
  res: http.ServerResponse,
  errorBody: (status: number, message: string) => unknown,
): boolean {
  const step = failures.shift();
  if (!step) return false;
  if ("hang" in step) return true; // the response stays open until the client gives up
  if ("reset" in step) {
    res.socket?.destroy();
    return true;
  }
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (step.retryAfter !== undefined) headers["retry-after"] = step.retryAfter;
  res
    .writeHead(step.status, headers)
    .end(JSON.stringify(errorBody(step.status, step.message ?? `scripted failure ${step.status}`)));
  return true;
}

export function delay(ms: number, res: http.ServerResponse): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(true), ms);
    res.once("close", () => {
      clearTimeout(timer);
      resolve(false); // the client went away
    });
  });
}

const KNOWN_PITCH: Record<string, number> = {
  // deep voices low, bright voices high, so tests can check that the voice reached the provider
  onyx: 95,
  echo: 110,
  ash: 120,
  fable: 140,
  alloy: 160,
  ballad: 150,
  verse: 170,
  cedar: 105,
  nova: 220,
  shimmer: 240,
  coral: 210,
  sage: 200,
  marin: 230,
  // the ElevenLabs fake's voices (Rachel, George)
  "21m00Tcm4TlvDq8ikWAM": 215,
  JBFqnCBsd6RMkjVDRZzb: 115,
};

/** Fundamental frequency the fake gives a voice: fixed for known names, else a hash into 90–260 Hz. */
export function voicePitch(voice: string): number {
  const known = KNOWN_PITCH[voice];
  if (known !== undefined) return known;
  let h = 2166136261;
  for (let i = 0; i < voice.length; i++) h = Math.imul(h ^ voice.charCodeAt(i), 16777619);
  return 90 + ((h >>> 0) % 171);
}

/** s16le bytes of a voiced tone: text length × msPerChar / speed, at least 0.2 s. */
export function toneBytes(voice: string, text: string, sampleRate: number, speed = 1, msPerChar = 55): Uint8Array {
  const seconds = Math.max(0.2, (text.length * msPerChar) / 1000 / speed);
  const n = Math.round(seconds * sampleRate);
  const f = voicePitch(voice);
  const samples = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    // fundamental + two harmonics, like a (very) plain voice
    samples[i] =
      0.3 * Math.sin(2 * Math.PI * f * t) + 0.12 * Math.sin(4 * Math.PI * f * t) + 0.05 * Math.sin(6 * Math.PI * f * t);
  }
  return pcmToS16le(samples);
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  return true;
}
