// Queue figures on this machine: for the local DB host with 1 and 2 worker processes, the
// submit→claim latency (job.started − job.created, one database clock) and no-op throughput; and
// the claim's cost at 0 vs 20,000 finished jobs (embedded rocksdb://, in this process).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../config.js";
import { connect, connectFromConfig, migrate, type Db } from "../db/index.js";
import { silentLogger } from "../log.js";
import { CommandRegistry, LeaseStore, Queue, queueMigrations } from "../queue/index.js";
import { TEST_COMMANDS } from "../testing/commands.js";
import { readDaemonState } from "../worker/daemon.js";

const CLI = fileURLToPath(new URL("../cli.js", import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function until(fn: () => Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`bench: gave up after ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

async function countStatus(db: Db, status: string): Promise<number> {
  const [rows] = await db.query<[Array<{ c: number }>]>("SELECT count() AS c FROM command WHERE status = $status GROUP ALL", { status }).collect();
  return rows[0]?.c ?? 0;
}

async function withDaemon(workers: number, fn: (queue: Queue, db: Db) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "podcast-mcp-bench-"));
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "warn", PODCAST_MCP_DATA_DIR: dir, PODCAST_MCP_TEST_COMMANDS: "1" };
  for (const k of Object.keys(env)) if (/^(SURREAL_|PODCAST_MCP_(WORKERS|CONCURRENCY|LEASE|POLL))/.test(k)) delete env[k];
  const child = spawn(process.execPath, [CLI, "daemon", "--workers", String(workers)], { env, stdio: ["ignore", "ignore", "inherit"] });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    await until(async () => (await readDaemonState(dir)) !== undefined, 30_000);
    const config = loadConfig({ PODCAST_MCP_DATA_DIR: dir });
    const db = await connectFromConfig(config, { waitMs: 10_000 });
    try {
      await fn(new Queue(db, new CommandRegistry(TEST_COMMANDS)), db);
    } finally {
      await db.close();
    }
  } finally {
    child.kill("SIGTERM");
    const t = setTimeout(() => child.kill("SIGKILL"), 20_000);
    await exited;
    clearTimeout(t);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function latencyAndThroughput(workers: number): Promise<void> {
  await withDaemon(workers, async (queue, db) => {
    // Let the workers start and subscribe before timing anything.
    const warm = await queue.submit("noop", {});
    await until(async () => (await queue.status(warm.job_id)).status === "completed", 30_000);

    // Latency: jobs one at a time on idle workers, so each measures a wake-up, not a backlog.
    const lat: number[] = [];
    for (let i = 0; i < 100; i++) {
      const { job_id } = await queue.submit("noop", {});
      await until(async () => (await queue.status(job_id)).status === "completed", 10_000, 5);
      const [[row]] = await db
        .query<[[{ created: { toDate(): Date }; started: { toDate(): Date } }]]>("SELECT created, started FROM type::record($id)", { id: job_id })
        .collect();
      lat.push(row!.started.toDate().getTime() - row!.created.toDate().getTime());
    }
    lat.sort((a, b) => a - b);

    // Throughput: a burst of no-op jobs, submit of the first to completion of the last.
    const N = 1000;
    const done0 = await countStatus(db, "completed");
    const t0 = performance.now();
    for (let i = 0; i < N; i += 50) await Promise.all(Array.from({ length: 50 }, () => queue.submit("noop", {})));
    await until(async () => (await countStatus(db, "completed")) >= done0 + N, 120_000, 100);
    const secs = (performance.now() - t0) / 1000;
    console.log(
      `local host, ${workers} worker process(es) × concurrency 2: submit→claim p50 ${pct(lat, 50).toFixed(1)} ms, p99 ${pct(lat, 99).toFixed(1)} ms; ` +
        `${N} no-op jobs in ${secs.toFixed(2)} s = ${Math.round(N / secs)} jobs/s`,
    );
  });
}

async function claimCost(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "podcast-mcp-bench-"));
  const db = await connect({ url: `rocksdb://${path.join(dir, "db")}`, namespace: "bench", database: "bench" });
  try {
    await migrate(db, queueMigrations);
    const queue = new Queue(db, new CommandRegistry(TEST_COMMANDS));
    const store = new LeaseStore(db, { leaseMs: 60_000 });
    const measure = async () => {
      const ms: number[] = [];
      for (let i = 0; i < 200; i++) {
        await queue.submit("noop", {});
        const t = performance.now();
        const lease = await store.claimNext("bench");
        ms.push(performance.now() - t);
        await store.complete(lease!, null);
      }
      return ms.sort((a, b) => a - b);
    };
    const empty = await measure();
    await db
      .query(
        `FOR $i IN 0..20000 { CREATE command CONTENT { app: 'bench', name: 'noop', args: {}, status: 'completed', lane: 'done',
           attempts: 1, max_attempts: 3, priority: 0, n: $i, run_after: time::now(), result: { ok: true } }; }`,
      )
      .collect();
    const full = await measure();
    console.log(
      `claim (candidate SELECT + compare-and-set), embedded rocksdb: p50 ${pct(empty, 50).toFixed(2)} ms / p99 ${pct(empty, 99).toFixed(2)} ms at ~200 finished jobs; ` +
        `p50 ${pct(full, 50).toFixed(2)} ms / p99 ${pct(full, 99).toFixed(2)} ms at 20,000+ finished jobs`,
    );
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function queueBench(): Promise<void> {
  await latencyAndThroughput(1);
  await latencyAndThroughput(2);
  await claimCost();
}
