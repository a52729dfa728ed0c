// The pipeline: content → outline → transcript → speech → audio, a function of (input, context)
// to episode files. It knows nothing of the DB, MCP or the queue: the context reports progress,
// carries the cancel signal and stores checkpoints; the deps hand over providers and the cache.
import { errorKind } from "../errors.js";
import { episodeSummary, writeEpisodeFiles, type EpisodeFiles } from "./stages/audio.js";
import { asCanceled, throwIfCanceled } from "./stages/cancel.js";
import { prepareContent, prepareScript, type ScriptTurnInput } from "../script/prepare.js";
import { outlineForScript, usableOutline, writeOutline } from "./stages/outline.js";
import { speak, type SpeechCache } from "./stages/speech.js";
import { usableCheckpoint, writeTranscript } from "./stages/transcript.js";
import { checkVoiceMap, resolveVoices, type ResolvedTts } from "../providers/voices.js";
import type {
  Chapter,
  EpisodeProfile,
  LlmProviderName,
  Outline,
  ScriptWriter,
  SpeakerProfile,
  TimedTurn,
  TtsEngine,
  TtsProviderName,
  Turn,
  WriterInput,
} from "../core/model.js";
import type { StageContext } from "./types.js";

export { prepareContent, prepareScript, type ScriptTurnInput } from "../script/prepare.js";
export { DEFAULT_TTS_MODELS, resolveVoices, type ResolvedTts, type Voice } from "../providers/voices.js";
export { EPISODE_FILE_NAMES, type EpisodeFiles } from "./stages/audio.js";
export type { SpeechCache } from "./stages/speech.js";

export const STAGES = ["content", "outline", "transcript", "speech", "audio"] as const;
export type StageName = (typeof STAGES)[number];

/** Share of the whole job each stage stands for, from typical LLM/TTS run times; they sum to 1. */
export const STAGE_WEIGHTS: Readonly<Record<StageName, number>> = {
  content: 0.02,
  outline: 0.06,
  transcript: 0.27,
  speech: 0.45,
  // Streaming assembly (three passes) takes about as long as the built-in voices take to speak
  // (measured on prose.md: speech 8.6 s, audio 8.0 s); with a paid voice, speech dominates.
  audio: 0.2,
};

/** Overall fraction in [0,1] from a stage and that stage's own fraction, as ctx.progress reports them. */
export function overallProgress(stage: string, fraction: number): number {
  const i = STAGES.indexOf(stage as StageName);
  if (i < 0) return 0;
  const before = STAGES.slice(0, i).reduce((sum, s) => sum + STAGE_WEIGHTS[s], 0);
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  return Math.min(1, before + STAGE_WEIGHTS[stage as StageName] * f);
}

/** Checkpoint keys in ctx.checkpoints (plus "transcript_segments" while the transcript is written). */
export const CHECKPOINTS = { outline: "outline", transcript: "transcript" } as const;

export interface PipelineInput {
  episodeName: string;
  briefing: string;
  /** Plain text (already extracted); absent when script is given. */
  content?: string | undefined;
  /** Ready turns: outline and transcript are not written but taken from here. */
  script?: ScriptTurnInput[] | undefined;
  episodeProfile: EpisodeProfile;
  speakerProfile: SpeakerProfile;
  language: string;
  show?: string | undefined;
  date?: Date | undefined;
  /** Cover art (PNG) for the MP3's tags. */
  cover?: Buffer | undefined;
}

export interface PipelineDeps {
  writer(provider: LlmProviderName, model: string): ScriptWriter;
  /** Already resolved, cached per provider. */
  tts(provider: ResolvedTts): TtsEngine;
  resolveTts(name: TtsProviderName): ResolvedTts;
  /** The model an empty profile model means for a provider (TTS_MODEL); default: the provider's own. */
  defaultModel?(provider: ResolvedTts): string | undefined;
  speechCache: SpeechCache;
  /** Where audio.mp3 and transcript.{json,vtt,md} go; created if missing. */
  outDir: string;
}

export interface PipelineResult {
  audioFile: string;
  durationSeconds: number;
  chapters: Chapter[];
  transcript: TimedTurn[];
  outline: Outline;
  files: EpisodeFiles;
  loudness: { integrated: number; truePeak: number };
  stats: { turns: number; synthesized: number; cached: number };
}

/**
 * Runs (or resumes) one episode. ctx.progress receives the stage name and that stage's own fraction
 * (as types.ts says); a caller that wants one bar maps it with overallProgress(stage, fraction).
 * Errors are AppErrors whose kind the queue acts on: invalid_input (content, script, voices),
 * provider_* from the writer/TTS (with the turn or segment named), canceled when ctx.signal fired.
 */
export async function runPipeline(
  input: PipelineInput,
  ctx: StageContext,
  deps: PipelineDeps,
): Promise<PipelineResult> {
  const started = Date.now();
  const log = ctx.log.child({ episode: input.episodeName });
  const cp = ctx.checkpoints;
  let stage: StageName = "content";
  const progress = (s: StageName, fraction: number, message?: string) =>
    ctx.progress(s, Math.min(1, Math.max(0, fraction)), message);
  const enter = (s: StageName, message: string) => {
    stage = s;
    throwIfCanceled(ctx.signal, s);
    progress(s, 0, message);
  };

  try {
    // Which engine speaks for whom, decided once; a provider that cannot be built fails here.
    const voices = resolveVoices(input.speakerProfile, deps);

    // 1. content
    enter("content", "checking content");
    let content = "";
    let scriptTurns: Turn[] | undefined;
    if (input.script !== undefined) {
      scriptTurns = prepareScript(input.script, input.speakerProfile);
    } else {
      // The input is the episode's stored content (prepared at submission): checked, never copied
      // into a checkpoint (it was stored twice, up to 200k characters each).
      content = prepareContent(input.content);
    }
    // A voice that does not exist fails here, before the writer is paid for an outline.
    await checkVoiceMap(voices);
    progress("content", 1, scriptTurns ? `script of ${scriptTurns.length} turns` : `${content.length} characters`);

    const writerInput: WriterInput = {
      content,
      briefing: input.briefing,
      episodeName: input.episodeName,
      language: input.language,
      speakers: input.speakerProfile.speakers,
      numSegments: input.episodeProfile.num_segments,
      targetMinutes: input.episodeProfile.target_minutes,
      maxTokens: input.episodeProfile.max_tokens,
    };

    // 2. outline
    enter("outline", "writing the outline");
    let outline = usableOutline(await cp.get<unknown>(CHECKPOINTS.outline));
    if (outline) {
      log.info("outline: from checkpoint");
    } else {
      outline = scriptTurns
        ? outlineForScript(scriptTurns, input.episodeName)
        : await writeOutline(
            deps.writer(input.episodeProfile.outline_provider, input.episodeProfile.outline_model),
            writerInput,
            ctx.signal,
          );
      await cp.put(CHECKPOINTS.outline, outline);
    }
    progress("outline", 1, `${outline.segments.length} segments`);

    // 3. transcript
    enter("transcript", "writing the transcript");
    const savedTurns = await cp.get<unknown>(CHECKPOINTS.transcript);
    let turns = usableCheckpoint(savedTurns, input.speakerProfile, outline.segments.length);
    if (savedTurns !== undefined && !turns)
      log.warn("transcript: checkpoint unusable (unknown speakers or empty turns); writing it again");
    if (turns) {
      log.info({ turns: turns.length }, "transcript: from checkpoint");
    } else {
      turns =
        scriptTurns ??
        (await writeTranscript(
          deps.writer(input.episodeProfile.transcript_provider, input.episodeProfile.transcript_model),
          writerInput,
          outline,
          input.speakerProfile,
          { signal: ctx.signal, checkpoints: cp, log, progress: (f, m) => progress("transcript", f, m) },
        ));
      await cp.put(CHECKPOINTS.transcript, turns);
    }
    progress("transcript", 1, `${turns.length} turns`);

    // 4. speech (resumed by the speech cache, not by a checkpoint: clips are too big for one)
    enter("speech", `speaking ${turns.length} turns`);
    const speech = await speak(turns, voices, {
      signal: ctx.signal,
      log,
      language: input.language,
      cache: deps.speechCache,
      progress: (f, m) => progress("speech", f, m),
    });
    log.info({ synthesized: speech.synthesized, cached: speech.cached }, "speech: done");

    // 5. audio
    enter("audio", "assembling the episode");
    const episode = await writeEpisodeFiles(
      {
        clips: speech.clips,
        outline,
        outDir: deps.outDir,
        meta: {
          title: input.episodeName,
          show: input.show ?? "podcast-mcp",
          date: input.date ?? new Date(),
          // What the episode is about, from its outline: not the briefing, which is an instruction to the writer.
          summary: episodeSummary(outline),
          cover: input.cover,
        },
        signal: ctx.signal,
      },
      (f, m) => progress("audio", f, m),
    );
    progress("audio", 1, `${episode.durationSeconds.toFixed(1)} s of audio`);
    log.info({ seconds: episode.durationSeconds, ms: Date.now() - started }, "pipeline: episode written");

    return {
      audioFile: episode.files.mp3,
      durationSeconds: episode.durationSeconds,
      chapters: episode.chapters,
      transcript: episode.turns,
      outline,
      files: episode.files,
      loudness: episode.loudness,
      stats: { turns: turns.length, synthesized: speech.synthesized, cached: speech.cached },
    };
  } catch (err) {
    const final = asCanceled(err, ctx.signal, stage);
    log.warn({ stage, kind: errorKind(final), err: final }, "pipeline: stopped");
    throw final;
  }
}

/** Every speaker's voice exists for its provider; throws invalid_input naming the speaker's field. */
export async function checkVoices(
  speakerProfile: SpeakerProfile,
  deps: Pick<PipelineDeps, "tts" | "resolveTts">,
): Promise<void> {
  await checkVoiceMap(resolveVoices(speakerProfile, deps));
}
