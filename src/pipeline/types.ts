// What a stage gets besides its input: the context is the pipeline's only way out (progress,
// checkpoints, cancellation). The data it works on is in src/core/model.ts.
import type { Logger } from "../log.js";

export interface CheckpointStore {
  get<T>(key: string): Promise<T | undefined>;
  put<T>(key: string, value: T): Promise<void>;
}

export interface StageContext {
  signal: AbortSignal;
  /** stage name + fraction of that stage in [0,1]; the runner maps it to overall progress. */
  progress(stage: string, fraction: number, message?: string): void;
  checkpoints: CheckpointStore;
  log: Logger;
}
