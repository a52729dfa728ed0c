// Keeps up to N worker processes: one that dies while we are not stopping it is started again after
// a backoff that grows while it keeps dying young and resets once it has run a while. A worker that
// exits cleanly by itself (code 0: it was idle, PODCAST_MCP_WORKER_IDLE_EXIT) is left asleep until
// wake() (the daemon calls it when a job arrives), so an idle daemon holds no worker memory.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { backoffMs } from "../core/resilience/backoff.js";
import type { Logger } from "../log.js";

export interface SupervisorOptions {
  count: number;
  /** argv after process.execPath (the script and its arguments). */
  argv: string[];
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** Restart backoff: base, cap, and how long a run must last to reset it. */
  backoff?: { baseMs: number; maxMs: number; healthyAfterMs: number };
  /**
   * A worker died while we were not stopping it (a signal, an out-of-memory kill, a crash): its
   * jobs can be handed back now, by its id, instead of waiting for their leases to expire.
   */
  onWorkerDied?: (workerId: string, cause: string) => void | Promise<void>;
  /** A worker went to sleep: work that arrived as it left must still wake one (the owner checks). */
  onWorkerSlept?: () => void;
}

interface Slot {
  index: number;
  child: ChildProcess | undefined;
  /** The id the running child claims jobs as (PODCAST_MCP_WORKER_ID), new at every start. */
  workerId: string;
  startedAt: number;
  failures: number;
  timer: NodeJS.Timeout | undefined;
  exited: Promise<void>;
}

export class Supervisor {
  readonly #opts: SupervisorOptions;
  readonly #backoff: { baseMs: number; maxMs: number; healthyAfterMs: number };
  readonly #slots: Slot[] = [];
  #stopping = false;
  /** How many times a worker was restarted after dying (for logs and tests). */
  restarts = 0;
  /** How many times sleeping workers were started again for new work. */
  wakes = 0;

  constructor(opts: SupervisorOptions) {
    this.#opts = opts;
    this.#backoff = opts.backoff ?? { baseMs: 500, maxMs: 30_000, healthyAfterMs: 30_000 };
  }

  pids(): number[] {
    return this.#slots.flatMap((s) => (this.#alive(s) && s.child!.pid !== undefined ? [s.child!.pid] : []));
  }

  /** Creates the slots; `awake` starts their workers now, otherwise the first wake() does. */
  start(opts: { awake?: boolean } = {}): void {
    for (let i = 0; i < this.#opts.count; i++) {
      const slot: Slot = {
        index: i,
        child: undefined,
        workerId: "",
        startedAt: 0,
        failures: 0,
        timer: undefined,
        exited: Promise.resolve(),
      };
      this.#slots.push(slot);
      if (opts.awake ?? true) this.#spawn(slot);
    }
  }

  /** Starts every sleeping worker (no process, no restart pending). */
  wake(): void {
    if (this.#stopping) return;
    const asleep = this.#slots.filter((s) => !this.#alive(s) && !s.timer);
    if (asleep.length === 0) return;
    this.wakes++;
    this.#opts.log.info({ workers: asleep.length }, "work arrived; starting sleeping workers");
    for (const s of asleep) this.#spawn(s);
  }

  #alive(s: Slot): boolean {
    return s.child !== undefined && s.child.exitCode === null && s.child.signalCode === null;
  }

  #spawn(slot: Slot): void {
    slot.timer = undefined;
    if (this.#stopping) return;
    // Workers write logs to stderr; their stdout goes to our stderr too, so the daemon prints nothing
    // on stdout. The IPC channel carries no messages: its closing tells a worker that we are gone.
    const workerId = `${os.hostname()}:${process.pid}.${slot.index}:${randomBytes(4).toString("hex")}`;
    const env = { ...this.#opts.env, PODCAST_MCP_WORKER_ID: workerId };
    const child = spawn(process.execPath, this.#opts.argv, { env, stdio: ["ignore", 2, 2, "ipc"] });
    slot.child = child;
    slot.workerId = workerId;
    slot.startedAt = Date.now();
    slot.exited = new Promise<void>((resolve) =>
      child.once("exit", (code, signal) => {
        resolve();
        if (this.#stopping) return;
        if (code === 0 && signal === null) {
          this.#opts.log.info({ worker: slot.index, pid: child.pid }, "worker idle; it sleeps until work arrives");
          this.#opts.onWorkerSlept?.();
          return;
        }
        const ranMs = Date.now() - slot.startedAt;
        slot.failures = ranMs >= this.#backoff.healthyAfterMs ? 1 : slot.failures + 1;
        const delay = backoffMs(slot.failures, this.#backoff.baseMs, this.#backoff.maxMs);
        this.#opts.log.warn(
          { worker: slot.index, pid: child.pid, code, signal, ranMs, restartInMs: delay },
          "worker exited; restarting",
        );
        this.restarts++;
        const cause = signal ? `signal ${signal}` : `exit code ${code}`;
        void Promise.resolve(this.#opts.onWorkerDied?.(workerId, cause)).catch((err: unknown) =>
          this.#opts.log.error(
            { err, workerId },
            "could not hand back the dead worker's jobs; their leases will expire",
          ),
        );
        slot.timer = setTimeout(() => this.#spawn(slot), delay);
      }),
    );
    child.once("error", (err) => this.#opts.log.error({ err, worker: slot.index }, "worker could not start"));
    this.#opts.log.info({ worker: slot.index, pid: child.pid }, "worker started");
  }

  /** SIGTERM every worker, SIGKILL whoever is still there after killAfterMs. */
  async stop(killAfterMs: number): Promise<void> {
    this.#stopping = true;
    for (const s of this.#slots) if (s.timer) clearTimeout(s.timer);
    const live = this.#slots.filter((s) => s.child && s.child.exitCode === null && s.child.signalCode === null);
    for (const s of live) s.child!.kill("SIGTERM");
    const kill = setTimeout(() => {
      for (const s of live) if (s.child!.exitCode === null && s.child!.signalCode === null) s.child!.kill("SIGKILL");
    }, killAfterMs);
    await Promise.all(live.map((s) => s.exited));
    clearTimeout(kill);
  }
}
