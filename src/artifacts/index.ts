// The artifact store: one key-based interface for episode files and the speech cache, on the
// data dir (default) or an S3-compatible bucket (PODCAST_MCP_ARTIFACTS=s3://bucket/prefix).
export type { ArtifactInfo, ArtifactStore, ByteRange, PutOptions } from "./types.js";
export { checkKey, checkPrefix, episodeKey, episodePrefix, speechClipKey, MAX_KEY_LENGTH } from "./keys.js";
export { contentTypeFor } from "./content-type.js";
export { createDataDirStore } from "./data-dir-store.js";
export { createS3Store, type S3StoreOptions } from "./s3/store.js";
export { createS3Client, S3_DEFAULTS, type S3StoreConfig } from "./s3/client.js";
export { s3Error, s3ErrorKind } from "./s3/errors.js";
export { parseArtifactsConfig, type ArtifactsConfig } from "./config.js";
export { openArtifactStore } from "./open.js";
export { getSpeechClip, putSpeechClip } from "./speech-clips.js";
