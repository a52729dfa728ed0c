// The speech hosts of this process: started on the first synthesis, at most `size` of them (one
// synthesis each), handed from turn to turn, and stopped after `idleMs` without work, so an idle
// worker process carries no Flite (measured: a host is ~100 MB resident after its first sentence,
// ~135 MB after a 4,000-character turn).
import { canceledError } from "../../../core/resilience/sleep.js";
import { SpeechHost, type FliteJob } from "./host.js";

export interface SpeechHostPoolOptions {
  /** Hosts running at once (each keeps one core busy while it speaks). */
  size: number;
  /** A host with no work for this long is stopped. */
  idleMs: number;
}

interface Waiter {
  resolve: (host: SpeechHost) => void;
  reject: (err: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

export class SpeechHostPool {
  readonly #hosts = new Set<SpeechHost>();
  readonly #idle = new Map<SpeechHost, NodeJS.Timeout>();
  readonly #waiters: Waiter[] = [];
  #startCount = 0;

  readonly #opts: SpeechHostPoolOptions;
  constructor(opts: SpeechHostPoolOptions) {
    this.#opts = opts;
  }

  /** Hosts started so far; each compiles the Flite module once. */
  get started(): number {
    return this.#startCount;
  }

  /** Process ids of the hosts now running (for tests and diagnostics). */
  pids(): number[] {
    return [...this.#hosts].flatMap((h) => (h.alive && h.pid !== undefined ? [h.pid] : []));
  }

  /** Runs one synthesis on a free host (started if needed). Errors as SpeechHost.run. */
  async run(job: FliteJob, signal: AbortSignal): Promise<number> {
    const host = await this.#acquire(signal);
    try {
      return await host.run(job, signal);
    } finally {
      this.#release(host);
    }
  }

  /** Stops every host now (killing any mid-synthesis) and waits until they have exited. */
  async stop(): Promise<void> {
    const all = [...this.#hosts];
    for (const h of all) this.#drop(h);
    for (const h of all) h.close();
    await Promise.all(all.map((h) => h.exited));
  }

  #acquire(signal: AbortSignal): Promise<SpeechHost> {
    if (signal.aborted) return Promise.reject(canceledError(signal, "speech synthesis"));
    const free = this.#idle.keys().next();
    if (!free.done) {
      clearTimeout(this.#idle.get(free.value));
      this.#idle.delete(free.value);
      return Promise.resolve(free.value);
    }
    if (this.#hosts.size < this.#opts.size) return Promise.resolve(this.#start());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          reject(canceledError(signal, "speech synthesis"));
        },
      };
      signal.addEventListener("abort", waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  #release(host: SpeechHost) {
    if (!host.alive) this.#drop(host);
    const next = this.#waiters.shift();
    if (next) {
      next.signal.removeEventListener("abort", next.onAbort);
      // A dead host's place goes to a fresh one.
      next.resolve(host.alive ? host : this.#start());
      return;
    }
    if (!host.alive) return;
    const timer = setTimeout(() => {
      this.#drop(host);
      host.close();
    }, this.#opts.idleMs);
    timer.unref();
    this.#idle.set(host, timer);
  }

  #start(): SpeechHost {
    if (this.#startCount === 0) {
      // Detached hosts do not get the terminal's signals: if this process exits mid-synthesis, stop
      // them now rather than when their synthesis ends and they notice the closed channel.
      process.once("exit", () => {
        for (const h of this.#hosts) h.kill();
      });
    }
    const host = new SpeechHost();
    this.#startCount++;
    this.#hosts.add(host);
    // A host that dies while idle (killed from outside) leaves its place free.
    void host.exited.then(() => {
      if (this.#idle.has(host)) this.#drop(host);
    });
    return host;
  }

  #drop(host: SpeechHost) {
    clearTimeout(this.#idle.get(host));
    this.#idle.delete(host);
    this.#hosts.delete(host);
  }
}
