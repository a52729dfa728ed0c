// Cancellation in one shape: whatever a provider threw while the job's signal fired, the caller
// sees AppError("canceled"), so the queue records "canceled" and not a provider failure.
import { AppError } from "../../errors.js";

export function throwIfCanceled(signal: AbortSignal, stage: string): void {
  if (signal.aborted) throw new AppError("canceled", `canceled during ${stage}`, { cause: signal.reason });
}

export function asCanceled(err: unknown, signal: AbortSignal, stage: string): unknown {
  if (!signal.aborted) return err;
  if (err instanceof AppError && err.kind === "canceled" && err.message.startsWith("canceled during")) return err;
  return new AppError("canceled", `canceled during ${stage}`, { cause: err });
}
