// Artifact store costs, data dir vs S3 (s3rver on 127.0.0.1), measured in one run: per-call p50
// for what the speech cache and the HTTP routes do (put/get a 480 KB clip, head, first byte of a
// range) and MB/s for an episode-sized putFile (multipart on S3). s3rver is a Koa app writing to
// the local disk, so its figures bound protocol and SDK overhead, not a real bucket's latency.
// Prints figures; asserts nothing.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import {
  createDataDirStore,
  createS3Store,
  putSpeechClip,
  getSpeechClip,
  type ArtifactStore,
} from "../artifacts/index.js";

const out = (line: string) => process.stdout.write(`${line}\n`);
const MiB = 1024 * 1024;
const SMALL_OPS = 30;
/** 5 s of 24 kHz mono float32: one spoken turn as the speech cache keeps it. */
const CLIP_SAMPLES = 24_000 * 5;
/** About 30 minutes of 128 kbit/s MP3. */
const EPISODE_BYTES = 28 * MiB;

interface S3rverLike {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}

async function p50(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function measure(store: ArtifactStore, episodeFile: string) {
  const clip = new Float32Array(CLIP_SAMPLES).map((_, i) => Math.sin(i / 20));
  const hash = (i: number) => createHash("sha256").update(`clip ${i}`).digest("hex");
  const putClip = await p50(SMALL_OPS, (i) => putSpeechClip(store, hash(i), clip));
  const getClip = await p50(SMALL_OPS, (i) => getSpeechClip(store, hash(i), CLIP_SAMPLES));
  const t0 = performance.now();
  await store.putFile("episodes/bench/audio.mp3", episodeFile);
  const putFileMBs = EPISODE_BYTES / MiB / ((performance.now() - t0) / 1000);
  const head = await p50(SMALL_OPS, () => store.head("episodes/bench/audio.mp3"));
  const firstByte = await p50(SMALL_OPS, async (i) => {
    const start = (i * 977_123) % (EPISODE_BYTES - 65_536);
    const stream = await store.open("episodes/bench/audio.mp3", { start, end: start + 65_535 });
    await new Promise<void>((resolve, reject) => {
      stream.once("data", () => resolve());
      stream.once("error", reject);
    });
    stream.destroy();
  });
  await store.deletePrefix("episodes/bench/");
  return { putClip, getClip, putFileMBs, head, firstByte };
}

export async function artifactsBench(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "podcast-mcp-artifacts-bench-"));
  const S3rver = createRequire(import.meta.url)("s3rver") as new (o: Record<string, unknown>) => S3rverLike;
  const srv = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: path.join(tmp, "s3rver"),
    configureBuckets: [{ name: "bench" }],
  });
  const { port } = await srv.run();
  const episodeFile = path.join(tmp, "episode.mp3");
  writeFileSync(episodeFile, Buffer.alloc(EPISODE_BYTES, 0x5a));
  const s3Store = (partMiB: number) =>
    createS3Store({
      bucket: "bench",
      prefix: "",
      endpoint: `http://127.0.0.1:${port}`,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      maxAttempts: 3,
      timeoutMs: 30_000,
      partSizeBytes: partMiB * MiB,
    });
  const stores: [string, ArtifactStore][] = [
    ["data dir", createDataDirStore(path.join(tmp, "data"))],
    ["S3, 8 MiB parts", s3Store(8)],
    ["S3, 5 MiB parts", s3Store(5)],
  ];
  try {
    out(`${SMALL_OPS} calls each; clip = ${(CLIP_SAMPLES * 4) / 1000} KB, episode = ${EPISODE_BYTES / MiB} MiB`);
    out("store            | put clip p50 | get clip p50 | head p50 | range 1st byte p50 | putFile episode");
    for (const [name, store] of stores) {
      const m = await measure(store, episodeFile);
      const ms = (v: number, width: number) => `${v.toFixed(1).padStart(width)} ms`;
      const cells = [ms(m.putClip, 9), ms(m.getClip, 9), ms(m.head, 5), ms(m.firstByte, 15)];
      out(`${name.padEnd(16)} | ${cells.join(" | ")} | ${m.putFileMBs.toFixed(0).padStart(6)} MB/s`);
      await store.close();
    }
  } finally {
    await srv.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
