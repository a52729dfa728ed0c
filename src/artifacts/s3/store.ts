// The shared store: objects under s3://bucket/prefix/<key> on any S3-compatible server.
// - Atomic for readers: S3 makes an object visible only when PutObject or CompleteMultipartUpload
//   succeeds, so a failed upload leaves no object (or the previous one) under the key.
// - Large bodies go up in parts (lib-storage Upload), each part retried by the client on its own.
//   A failed multipart upload is aborted here, best effort; if the server is gone that fails too,
//   and the parts stay invisible until a bucket lifecycle rule (AbortIncompleteMultipartUpload)
//   removes them.
// - Deletes go one object at a time: DeleteObjects needs Content-MD5 on several S3-compatible
//   servers, and SDK 3.729+ sends only a CRC32 there (aws-sdk-js-v3 issue 6920), so batching would
//   not be portable. An episode is four objects.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { AppError, invalidInput, notFound } from "../../errors.js";
import type { Logger } from "../../log.js";
import { silentLogger } from "../../log.js";
import { contentTypeFor } from "../content-type.js";
import { checkKey, checkPrefix } from "../keys.js";
import { checkRange, clampRange, sliceStream } from "../range.js";
import type { ArtifactInfo, ArtifactStore, PutOptions } from "../types.js";
import { createS3Client, type S3StoreConfig } from "./client.js";
import { s3Error } from "./errors.js";

/** Parts in flight per upload: memory is this × part size; two cover a loopback link at full rate. */
const UPLOAD_QUEUE = 2;
const DELETE_CONCURRENCY = 8;
/** S3's own ceiling for a presigned URL (SigV4): seven days. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

const isNotFound = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
};
const isInvalidRange = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === "InvalidRange" || e?.$metadata?.httpStatusCode === 416;
};

export interface S3StoreOptions {
  /** A client to share (default: one made from cfg). */
  client?: S3Client;
  log?: Logger;
  /** Keys per listing page in deletePrefix: S3's maximum unless a test wants several pages. */
  listPageSize?: number;
}

export function createS3Store(cfg: S3StoreConfig, opts: S3StoreOptions = {}): ArtifactStore {
  const client = opts.client ?? createS3Client(cfg);
  const log = opts.log ?? silentLogger;
  const Bucket = cfg.bucket;
  const objectKey = (key: string) => cfg.prefix + checkKey(key);

  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw s3Error(err, what);
    }
  };

  const upload = async (
    key: string,
    Body: Buffer | Uint8Array | string | Readable,
    putOpts: PutOptions | undefined,
  ) => {
    const Key = objectKey(key);
    const ContentType = putOpts?.contentType ?? contentTypeFor(key);
    const up = new Upload({
      client,
      params: { Bucket, Key, Body, ContentType },
      partSize: cfg.partSizeBytes,
      queueSize: UPLOAD_QUEUE,
      // Aborted below instead: lib-storage's own abort throws its error in place of the part's.
      leavePartsOnError: true,
    });
    try {
      await up.done();
    } catch (err) {
      if (up.uploadId) {
        await client
          .send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId: up.uploadId }))
          .catch((abortErr: unknown) =>
            log.warn(
              { err: abortErr, key },
              "artifact store: could not abort a failed multipart upload; its parts stay invisible",
            ),
          );
      }
      throw s3Error(err, `put ${key}`);
    }
  };

  const head = async (key: string): Promise<ArtifactInfo | undefined> => {
    const Key = objectKey(key);
    return call(`head ${key}`, async () => {
      try {
        const res = await client.send(new HeadObjectCommand({ Bucket, Key }));
        return { size: res.ContentLength ?? 0, etag: res.ETag ?? "", lastModified: res.LastModified ?? new Date(0) };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    });
  };

  return {
    kind: "s3",

    put: (key, body, putOpts) => upload(key, body, putOpts),

    async putFile(key, localPath, putOpts) {
      checkKey(key);
      const st = await stat(localPath).catch(() => undefined);
      if (!st?.isFile()) throw invalidInput("localPath", "must be an existing file");
      await upload(key, createReadStream(localPath), putOpts);
    },

    async get(key) {
      const Key = objectKey(key);
      return call(`get ${key}`, async () => {
        try {
          const res = await client.send(new GetObjectCommand({ Bucket, Key }));
          return Buffer.from(await res.Body!.transformToByteArray());
        } catch (err) {
          if (isNotFound(err)) return undefined;
          throw err;
        }
      });
    },

    head,

    async open(key, range) {
      const Key = objectKey(key);
      if (range) checkRange(range);
      const Range = range ? `bytes=${range.start}-${range.end}` : undefined;
      try {
        const res = await client.send(new GetObjectCommand({ Bucket, Key, Range }));
        if (!(res.Body instanceof Readable))
          throw new AppError("internal", `artifact store (S3): open ${key}: no stream body`);
        if (!range) return res.Body;
        // What the server says it sent: 206 with Content-Range, or (Range ignored) 200 with it all.
        const served = /^bytes (\d+)-(\d+)\/\d+$/.exec(res.ContentRange ?? "");
        const from = served ? Number(served[1]) : 0;
        const to = served ? Number(served[2]) : from + (res.ContentLength ?? 0) - 1;
        if (from === range.start && to <= range.end) return res.Body;
        if (from > range.start) {
          res.Body.destroy();
          throw new AppError(
            "internal",
            `artifact store (S3): open ${key}: asked for byte ${range.start}, got ${from} on`,
          );
        }
        return sliceStream(res.Body, range.start - from, Math.min(range.end, to) - range.start + 1);
      } catch (err) {
        if (isNotFound(err)) throw notFound("artifact", key);
        if (range && isInvalidRange(err)) {
          // Same message as the data-dir store: the size comes from a HEAD.
          const info = await head(key);
          if (!info) throw notFound("artifact", key);
          clampRange(range, info.size);
        }
        throw s3Error(err, `open ${key}`);
      }
    },

    async presignGet(key, ttlSeconds) {
      const Key = objectKey(key);
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_PRESIGN_SECONDS) {
        throw invalidInput("ttlSeconds", `must be a whole number from 1 to ${MAX_PRESIGN_SECONDS}`);
      }
      return call(`presign ${key}`, () =>
        getSignedUrl(client, new GetObjectCommand({ Bucket, Key }), { expiresIn: ttlSeconds }),
      );
    },

    async delete(key) {
      // S3 answers 204 for a key that does not exist: no error, as the interface says.
      await call(`delete ${key}`, () => client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(key) })));
    },

    async deletePrefix(prefix) {
      const Prefix = cfg.prefix + checkPrefix(prefix);
      await call(`delete ${prefix}`, async () => {
        // ListObjects (v1) with Marker = the last key seen: s3rver 3.7 ciphers every V2
        // continuation token with DES, which Node 20's OpenSSL 3 refuses, so any V2 listing of more
        // than one page answers HTTP 500. V1 is plain S3 that AWS, MinIO, R2, Ceph and Garage serve.
        let Marker: string | undefined;
        for (;;) {
          const page = await client.send(
            new ListObjectsCommand({ Bucket, Prefix, Marker, MaxKeys: opts.listPageSize ?? 1000 }),
          );
          const keys = (page.Contents ?? []).map((o) => o.Key).filter((k): k is string => !!k);
          await forEachLimit(keys, DELETE_CONCURRENCY, (Key) => client.send(new DeleteObjectCommand({ Bucket, Key })));
          if (!page.IsTruncated || keys.length === 0) break;
          Marker = keys[keys.length - 1];
        }
      });
    },

    async close() {
      client.destroy();
    },
  };
}

async function forEachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
