// The data every layer passes around: profiles (copied onto an episode at submission), the
// outline and turns of a script, audio as PCM, and the contracts of the providers (script writers
// and speech engines) that the pipeline calls and the server checks voices with.

// ---------- profiles (copied onto the episode at submission) ----------

/** "auto" resolves at run time: a configured server when there is one, else the built-in engines. */
export type { LlmProviderName, TtsProviderName } from "./enums.js";
import type { LlmProviderName, TtsProviderName } from "./enums.js";

export interface SpeakerSettings {
  /** 0.25–4 for OpenAI, 0.7–1.2 for ElevenLabs, 0.5–2 for built-in. */
  speed?: number | undefined;
  /** ElevenLabs voice settings, 0–1. */
  stability?: number | undefined;
  style?: number | undefined;
  /** gpt-4o-mini-tts only: how to speak. */
  instructions?: string | undefined;
}

export interface Speaker {
  name: string;
  voice_id: string;
  backstory: string;
  personality: string;
  /** Per-speaker override of the profile's TTS provider/model. */
  tts_provider?: TtsProviderName | undefined;
  tts_model?: string | undefined;
  settings?: SpeakerSettings | undefined;
}

export interface SpeakerProfile {
  name: string;
  description: string;
  tts_provider: TtsProviderName;
  tts_model: string;
  speakers: Speaker[]; // 1–4
}

export interface EpisodeProfile {
  name: string;
  description: string;
  speaker_profile: string; // name of a SpeakerProfile
  outline_provider: LlmProviderName;
  outline_model: string;
  transcript_provider: LlmProviderName;
  transcript_model: string;
  language: string; // BCP 47
  default_briefing: string;
  num_segments: number; // 3–20
  max_tokens?: number | undefined;
  target_minutes?: number | undefined;
}

// ---------- stage outputs ----------

export interface Segment {
  name: string;
  description: string;
  size: "short" | "medium" | "long";
}

export interface Outline {
  segments: Segment[];
}

export interface Turn {
  speaker: string;
  text: string;
  /** Index into outline.segments; a ready script without an outline uses 0. */
  segment: number;
}

/** Mono PCM, float samples in [-1, 1]. */
export interface Pcm {
  samples: Float32Array;
  sampleRate: number;
}

export interface TimedTurn extends Turn {
  start: number; // seconds
  end: number; // seconds
}

export interface Chapter {
  title: string;
  start: number; // seconds
  end: number; // seconds
}

// ---------- providers ----------

export interface WriterInput {
  content: string;
  briefing: string;
  episodeName: string;
  language: string;
  speakers: Speaker[];
  numSegments: number;
  targetMinutes?: number | undefined;
  maxTokens?: number | undefined;
}

/** Writes the outline and, per segment, the turns. The LLM writer and the offline writer both implement it. */
export interface ScriptWriter {
  readonly name: string; // e.g. "openai:gpt-4o-mini" or "builtin"
  outline(input: WriterInput, signal: AbortSignal): Promise<Outline>;
  /**
   * Turns of one segment. `before` is a short summary of what was already said (not the whole
   * transcript), so long episodes stay within the model's context.
   */
  segment(input: WriterInput, outline: Outline, index: number, before: string, signal: AbortSignal): Promise<Turn[]>;
}

export interface SpeechRequest {
  text: string;
  voice: string;
  model: string;
  language: string;
  settings?: SpeakerSettings | undefined;
}

export interface TtsEngine {
  /** "openai" | "elevenlabs" | "builtin": part of the speech cache key. */
  readonly provider: string;
  /** Max requests in flight to this provider (ElevenLabs free plans allow 2). */
  readonly concurrency: number;
  /** Checked before any work starts: throws AppError("invalid_input") naming the voice. */
  checkVoice(voice: string, model: string): Promise<void>;
  /** Raw PCM. Throws AppError with kind provider_transient / provider_auth / provider_permanent. */
  synthesize(req: SpeechRequest, signal: AbortSignal): Promise<Pcm>;
}
