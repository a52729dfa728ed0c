// The store a process uses, from its config: the data dir unless PODCAST_MCP_ARTIFACTS names a bucket.
import type { Logger } from "../log.js";
import type { ArtifactsConfig } from "./config.js";
import { createDataDirStore } from "./data-dir-store.js";
import { createS3Store } from "./s3/store.js";
import type { ArtifactStore } from "./types.js";

export function openArtifactStore(cfg: ArtifactsConfig, dataDir: string, log?: Logger): ArtifactStore {
  return cfg.kind === "s3" ? createS3Store(cfg.s3, log ? { log } : {}) : createDataDirStore(dataDir);
}

/** Where an object is, readable from any machine with the store's credentials: s3://bucket/prefix/key, or the key itself. */
export function objectAddress(cfg: ArtifactsConfig, key: string): string {
  return cfg.kind === "s3" ? `s3://${cfg.s3.bucket}/${cfg.s3.prefix}${key}` : key;
}
