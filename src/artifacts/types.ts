// The one interface every artifact goes through: episode audio and transcripts, the speech cache.
// Callers name an artifact by key (see keys.ts), never by a path, so the same code runs on a data
// dir or on an S3-compatible bucket that several machines share.
import type { Readable } from "node:stream";

export interface ArtifactInfo {
  size: number;
  /** An opaque, quoted HTTP entity tag: changes whenever the content may have changed. */
  etag: string;
  lastModified: Date;
}

/** Inclusive byte positions, as in an HTTP Range header (`bytes=start-end`). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface PutOptions {
  contentType?: string;
}

export interface ArtifactStore {
  readonly kind: "file" | "s3";
  /** Whole body in one call. A reader sees the old object, or none, until the new one is complete. */
  put(key: string, body: Buffer | Uint8Array | string, opts?: PutOptions): Promise<void>;
  /** A local file, streamed (multipart on S3 for large files); same atomicity as put. */
  putFile(key: string, localPath: string, opts?: PutOptions): Promise<void>;
  /** The whole object, or undefined when there is none. For small artifacts; use open() for audio. */
  get(key: string): Promise<Buffer | undefined>;
  head(key: string): Promise<ArtifactInfo | undefined>;
  /**
   * A stream of the object or of one byte range of it. `end` past the last byte is clamped (as HTTP
   * does); `start` past it is invalid_input (HTTP 416). A missing object is not_found.
   */
  open(key: string, range?: ByteRange): Promise<Readable>;
  /** A URL that reads the object without credentials until it expires (S3 only). */
  presignGet?(key: string, ttlSeconds: number): Promise<string>;
  /** The object's file (data-dir store only; the file may not exist). */
  localPath?(key: string): string;
  /** Remove one object; none is no error. */
  delete(key: string): Promise<void>;
  /** Remove every object whose key starts with `prefix` (which ends in "/"); none is no error. */
  deletePrefix(prefix: string): Promise<void>;
  /** Release sockets (S3); the store is unusable afterwards. */
  close(): Promise<void>;
}
