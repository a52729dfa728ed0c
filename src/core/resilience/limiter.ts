// At most n calls in flight; the rest wait in order. A wait ends with `canceled` when its signal fires.
import { AppError } from "../../errors.js";
import { canceledError } from "./sleep.js";

export interface Limiter {
  /** Runs `fn` when a slot is free. Waiting ends with `canceled` if `signal` aborts first. */
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  readonly limit: number;
  readonly active: number;
  readonly waiting: number;
}

export function createLimiter(n: number): Limiter {
  if (!Number.isInteger(n) || n < 1) {
    throw new AppError("invalid_input", `concurrency: must be a whole number ≥ 1 (got ${n})`, { field: "concurrency" });
  }
  let active = 0;
  const queue: Array<{ start: () => void }> = [];
  const release = () => {
    active--;
    queue.shift()?.start();
  };
  const go = <T>(fn: () => Promise<T>): Promise<T> => {
    active++;
    let p: Promise<T>;
    try {
      p = fn();
    } catch (err) {
      p = Promise.reject(err);
    }
    return p.finally(release);
  };
  return {
    limit: n,
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (signal?.aborted) return Promise.reject(canceledError(signal));
      if (active < n) return go(fn);
      return new Promise<T>((resolve, reject) => {
        const entry = {
          start: () => {
            signal?.removeEventListener("abort", onAbort);
            go(fn).then(resolve, reject);
          },
        };
        const onAbort = () => {
          const i = queue.indexOf(entry);
          if (i >= 0) queue.splice(i, 1);
          reject(canceledError(signal!));
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        queue.push(entry);
      });
    },
  };
}
