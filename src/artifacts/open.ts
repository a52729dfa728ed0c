// The store a process uses, from its config: the data dir unless PODCAST_MCP_ARTIFACTS names a bucket.
import type { Logger } from "../log.js";
import type { ArtifactsConfig } from "./config.js";
import { createDataDirStore } from "./data-dir-store.js";
import { createS3Store } from "./s3/store.js";
import type { ArtifactStore } from "./types.js";

export function openArtifactStore(cfg: ArtifactsConfig, dataDir: string, log?: Logger): ArtifactStore {
  return cfg.kind === "s3" ? createS3Store(cfg.s3, log ? { log } : {}) : createDataDirStore(dataDir);
}
