// A real S3 wire-protocol server on 127.0.0.1 for the tests (s3rver: Koa + files in a temp dir).
// It can be stopped (every open connection cut, as a crashed server would) and started again on
// the same port and files. Credentials are s3rver's built-in pair.
import { mkdtempSync, rmSync } from "node:fs";
import type { IncomingMessage, Server } from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { S3StoreConfig } from "../../src/artifacts/index.js";

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverCtor = new (opts: Record<string, unknown>) => S3rverInstance;
const S3rver = createRequire(import.meta.url)("s3rver") as S3rverCtor;

export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export interface TestS3 {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  port: number;
  bucket: string;
  /** Seen before s3rver handles a request (method and URL): to act at an exact point of a call. */
  onRequest: ((req: IncomingMessage) => void) | undefined;
  running(): boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stop and remove the files. */
  destroy(): Promise<void>;
  /** A store config for this server; `over` for timeouts, attempts, prefix or another endpoint. */
  config(over?: Partial<S3StoreConfig>): S3StoreConfig;
}

export async function startS3rver(bucket = "podcasts"): Promise<TestS3> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "podcast-mcp-s3rver-"));
  let port = 0;
  let current: S3rverInstance | undefined;

  const t: TestS3 = {
    endpoint: "",
    port: 0,
    bucket,
    onRequest: undefined,
    running: () => current !== undefined,
    async start() {
      if (current) return;
      const srv = new S3rver({
        address: "127.0.0.1",
        port,
        silent: true,
        directory: dir,
        configureBuckets: [{ name: bucket }],
      });
      const addr = await srv.run();
      srv.httpServer!.prependListener("request", (req: IncomingMessage) => t.onRequest?.(req));
      current = srv;
      port = addr.port;
      t.port = port;
      t.endpoint = `http://127.0.0.1:${port}`;
    },
    async stop() {
      const srv = current;
      if (!srv) return;
      current = undefined;
      srv.httpServer!.closeAllConnections();
      await srv.close();
    },
    async destroy() {
      await t.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    config: (over = {}) => ({
      bucket,
      prefix: "",
      endpoint: t.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
      maxAttempts: 3,
      timeoutMs: 5_000,
      partSizeBytes: 5 * 1024 * 1024,
      ...over,
    }),
  };
  await t.start();
  return t;
}
