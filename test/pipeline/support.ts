// Small implementations of the pipeline's interfaces for the runner's orchestration tests: an
// in-memory checkpoint store and speech cache (real implementations of those interfaces), a
// scripted ScriptWriter and a tone-producing TtsEngine that count their calls and can be told to
// fail or to block. End-to-end runs with the real built-in writer and voices are in run-builtin.test.ts.
import { AppError } from "../../src/errors.js";
import { silentLogger } from "../../src/log.js";
import type { PipelineDeps, PipelineInput, ResolvedTts } from "../../src/pipeline/run.js";
import type {
  EpisodeProfile,
  Outline,
  Pcm,
  ScriptWriter,
  SpeakerProfile,
  SpeechRequest,
  TtsEngine,
  Turn,
  WriterInput,
} from "../../src/core/model.js";
import type { CheckpointStore, StageContext } from "../../src/pipeline/types.js";

export class MemoryCheckpoints implements CheckpointStore {
  readonly data = new Map<string, unknown>();
  async get<T>(key: string): Promise<T | undefined> {
    // A structured clone, like a DB round trip: the runner must not rely on sharing objects.
    return this.data.has(key) ? (structuredClone(this.data.get(key)) as T) : undefined;
  }
  async put<T>(key: string, value: T): Promise<void> {
    this.data.set(key, structuredClone(value));
  }
}

export class MemorySpeechCache {
  readonly clips = new Map<string, Pcm>();
  gets = 0;
  async get(key: string) {
    this.gets++;
    return this.clips.get(key);
  }
  readonly metas: { provider: string; model: string; voice: string }[] = [];
  async put(key: string, pcm: Pcm, meta?: { provider: string; model: string; voice: string }) {
    this.clips.set(key, pcm);
    if (meta) this.metas.push(meta);
  }
}

export class ScriptedWriter implements ScriptWriter {
  readonly name = "test-writer";
  outlineCalls = 0;
  segmentCalls: number[] = [];
  befores: string[] = [];
  languages: string[] = [];
  /** Throw on this segment index (once). */
  failSegment: number | undefined;
  constructor(
    private readonly speakers: string[],
    private readonly segments = 3,
    private readonly turnsPerSegment = 2,
  ) {}
  async outline(input: WriterInput): Promise<Outline> {
    this.outlineCalls++;
    this.languages.push(input.language);
    return {
      segments: Array.from({ length: this.segments }, (_, i) => ({
        name: `Topic ${i + 1}`,
        description: `about ${i + 1}`,
        size: "short" as const,
      })),
    };
  }
  async segment(input: WriterInput, _outline: Outline, index: number, before: string): Promise<Turn[]> {
    this.segmentCalls.push(index);
    this.befores.push(before);
    this.languages.push(input.language);
    if (this.failSegment === index) {
      this.failSegment = undefined;
      throw new AppError("provider_transient", "writer: 503 from the model server");
    }
    return Array.from({ length: this.turnsPerSegment }, (_, k) => ({
      // Lower case on purpose: the runner maps names to the profile's spelling.
      speaker: this.speakers[k % this.speakers.length]!.toLowerCase(),
      text: `Segment ${index + 1}, line ${k + 1}.`,
      segment: index,
    }));
  }
}

/** Speaks a tone whose length follows the text, at 16 kHz like Flite. */
export class ToneEngine implements TtsEngine {
  calls: SpeechRequest[] = [];
  voiceChecks: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Called with the 1-based call number before synthesis; may throw or abort. */
  onCall: ((n: number, req: SpeechRequest) => void | Promise<void>) | undefined;
  delayMs = 0;
  constructor(
    readonly provider: string,
    readonly concurrency = 1,
    private readonly voices = ["v1", "v2", "v3"],
  ) {}
  async checkVoice(voice: string): Promise<void> {
    this.voiceChecks.push(voice);
    if (!this.voices.includes(voice))
      throw new AppError("invalid_input", `voice_id: "${voice}" is not a ${this.provider} voice`, {
        field: "voice_id",
      });
  }
  async synthesize(req: SpeechRequest, signal: AbortSignal): Promise<Pcm> {
    this.calls.push(req);
    const n = this.calls.length;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.onCall?.(n, req);
      if (this.delayMs) await abortableSleep(this.delayMs, signal);
      if (signal.aborted) throw new AppError("canceled", "tts: aborted");
      const sampleRate = 16_000;
      const seconds = 0.2 + req.text.length * 0.01;
      const samples = new Float32Array(Math.round(seconds * sampleRate));
      const freq = 150 + 50 * this.voices.indexOf(req.voice);
      for (let i = 0; i < samples.length; i++)
        samples[i] =
          0.3 *
          Math.sin((2 * Math.PI * freq * i) / sampleRate) *
          (0.6 + 0.4 * Math.sin((2 * Math.PI * 3 * i) / sampleRate));
      return { samples, sampleRate };
    } finally {
      this.inFlight--;
    }
  }
}

/** A sleep that a cancel cuts short; its listener goes when it ends (a forgotten one per turn was a leak). */
function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(t);
      reject(Object.assign(new Error("aborted"), { name: "AbortError" }));
    };
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export const SPEAKERS: SpeakerProfile = {
  name: "duo",
  description: "two hosts",
  tts_provider: "auto",
  tts_model: "tts-test",
  speakers: [
    { name: "Alice", voice_id: "v1", backstory: "host", personality: "curious" },
    { name: "Bob", voice_id: "v2", backstory: "guest", personality: "calm" },
  ],
};

export const EPISODE: EpisodeProfile = {
  name: "test_show",
  description: "",
  speaker_profile: "duo",
  outline_provider: "builtin",
  outline_model: "outline-model",
  transcript_provider: "builtin",
  transcript_model: "transcript-model",
  language: "en",
  default_briefing: "Explain it.",
  num_segments: 3,
};

export function input(over: Partial<PipelineInput> = {}): PipelineInput {
  return {
    episodeName: "Tides",
    briefing: "Explain tides.",
    content: "The Moon pulls on the oceans. The tide rises twice a day.",
    episodeProfile: EPISODE,
    speakerProfile: SPEAKERS,
    language: "en-GB",
    date: new Date("2026-01-02T03:04:05Z"),
    ...over,
  };
}

export interface ProgressEvent {
  stage: string;
  fraction: number;
  message: string | undefined;
}

export function context(
  checkpoints = new MemoryCheckpoints(),
  signal = new AbortController().signal,
): StageContext & { events: ProgressEvent[]; checkpoints: MemoryCheckpoints } {
  const events: ProgressEvent[] = [];
  return {
    signal,
    checkpoints,
    log: silentLogger,
    events,
    progress: (stage, fraction, message) => events.push({ stage, fraction, message }),
  };
}

export function deps(
  outDir: string,
  writer: ScriptWriter,
  engines: Partial<Record<ResolvedTts, TtsEngine>>,
  cache = new MemorySpeechCache(),
  resolveTo: ResolvedTts = "builtin",
): PipelineDeps & { writerRequests: [string, string][] } {
  const writerRequests: [string, string][] = [];
  return {
    writerRequests,
    writer: (provider, model) => {
      writerRequests.push([provider, model]);
      return writer;
    },
    tts: (p) => {
      const e = engines[p];
      if (!e) throw new Error(`test: no engine for ${p}`);
      return e;
    },
    resolveTts: (name) => (name === "auto" ? resolveTo : name),
    speechCache: cache,
    outDir,
  };
}

export async function failureOf(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}
