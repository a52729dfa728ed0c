// One S3 client per store, set up to work the same on AWS S3, MinIO, R2, Ceph RGW and Garage.
import { S3Client } from "@aws-sdk/client-s3";

export interface S3StoreConfig {
  bucket: string;
  /** "" or segments ending in "/", e.g. "podcasts/prod/": every key lives under it. */
  prefix: string;
  /** A custom endpoint (MinIO, R2, Ceph, Garage); undefined = AWS S3. */
  endpoint: string | undefined;
  /** undefined = the SDK's own lookup (shared config file); set whenever an endpoint is. */
  region: string | undefined;
  forcePathStyle: boolean;
  /** undefined = the SDK's default chain (profiles, SSO, container and instance roles). */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
  /**
   * Tries per request, the first included. SDK standard retry: full-jitter backoff from 100 ms
   * (500 ms when throttled) doubling to at most 20 s, and a per-client token bucket (500 tokens,
   * 5 per retry, 10 per timeout retry) that stops retrying when a server is down for everyone.
   * Past these, the error goes to the queue as provider_transient and the job retries later.
   */
  maxAttempts: number;
  /** A socket that is silent this long (connect, send or receive) fails the try as a timeout. */
  timeoutMs: number;
  /** Multipart part size; S3 requires at least 5 MiB for every part but the last. */
  partSizeBytes: number;
}

export const S3_DEFAULTS = { maxAttempts: 4, timeoutMs: 30_000, partSizeBytes: 8 * 1024 * 1024 } as const;

export function createS3Client(cfg: S3StoreConfig): S3Client {
  return new S3Client({
    ...(cfg.endpoint ? { endpoint: cfg.endpoint } : {}),
    ...(cfg.region ? { region: cfg.region } : {}),
    ...(cfg.credentials ? { credentials: cfg.credentials } : {}),
    forcePathStyle: cfg.forcePathStyle,
    maxAttempts: cfg.maxAttempts,
    retryMode: "standard",
    // Checksums only where the API demands them. Since SDK 3.729 the default (WHEN_SUPPORTED) sends
    // streamed bodies as aws-chunked with a CRC32 trailer; s3rver stored that framing as the object
    // (a 12-byte file came back as 53 bytes), and older MinIO, Ceph and Garage builds refuse it.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    // socketTimeout is an idle timeout: it bounds a hung server in every phase, including a GET
    // body being streamed to a listener, without capping a large part upload on a slow link.
    requestHandler: { connectionTimeout: Math.min(cfg.timeoutMs, 10_000), socketTimeout: cfg.timeoutMs },
  });
}
