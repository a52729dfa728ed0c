// A time budget for turning one document into text. Extraction runs inside the server process, so
// a document that takes too long is given up with an error naming it, and a canceled call stops
// the work between steps (pages, chapters) instead of finishing a book nobody waits for.
import { AppError, invalidInput } from "../errors.js";

export interface DocumentContext {
  /** The caller's field ("file" or "url"), so errors point at the right input. */
  field: string;
  /** The file's name or the URL's host: every error names the document. */
  name: string;
  signal?: AbortSignal | undefined;
  timeoutMs: number;
}

export class Deadline {
  readonly #ctx: DocumentContext;
  readonly #end: number;

  constructor(ctx: DocumentContext) {
    this.#ctx = ctx;
    this.#end = Date.now() + ctx.timeoutMs;
  }

  #error(): AppError | undefined {
    const { field, name, signal, timeoutMs } = this.#ctx;
    if (signal?.aborted) return new AppError("canceled", `${field}: ${name}: reading canceled`, { field });
    if (Date.now() >= this.#end)
      return invalidInput(field, `${name}: took longer than ${timeoutMs} ms to read; it is too large or malformed`);
    return undefined;
  }

  /** Between steps: throw when the time is up or the caller canceled. */
  check(): void {
    const err = this.#error();
    if (err) throw err;
  }

  /** One step that may take long: it loses the race against the deadline and the signal; `onLost` stops it. */
  async race<T>(work: Promise<T>, onLost: () => void): Promise<T> {
    this.check();
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const lost = new Promise<never>((_, reject) => {
      const lose = () => reject(this.#error() ?? invalidInput(this.#ctx.field, `${this.#ctx.name}: reading stopped`));
      timer = setTimeout(lose, Math.max(0, this.#end - Date.now()));
      onAbort = lose;
      this.#ctx.signal?.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([work, lost]);
    } catch (err) {
      onLost();
      throw err;
    } finally {
      clearTimeout(timer);
      if (onAbort) this.#ctx.signal?.removeEventListener("abort", onAbort);
    }
  }
}
