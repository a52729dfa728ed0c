// Queue figures on this machine, in one run (issue 12 §3). The daemon's workers stay up (idle exit
// off, so the daemon holds no LIVE query of its own) except in the last throughput line, which
// runs the default (workers leave after 30 s idle) to show what that LIVE query costs.
// - through the local DB host, with 1 and with 2 worker processes: pickup (job.started −
//   job.created, one database clock, a job submitted to idle workers) and no-op jobs/s (a burst
//   submitted 100 per statement with Queue.submitMany, first submit to last completion), with the
//   CPU each process spent per job (Linux /proc), so the figures say where the time goes; at the
//   default concurrency (2 jobs per worker) and at 16 (no-op jobs finish at once, so claims and
//   completions carry up to 16 jobs per statement);
// - one round trip's parts: a no-op query through the host vs the engine in this process, and
//   the SDK's CBOR encode/decode of a request and of a claimed job;
// - the claim's cost at 100 vs 20,000 finished jobs (embedded rocksdb://, in this process);
// - the engine's floor under all of these, in this process with nothing else running (no DB host,
//   no worker processes, no LIVE query): a claim sent the moment its submit returns (the least a
//   pickup can be), and the CPU per job of the queue's statements at their best batching, with
//   the jobs/s that CPU allows on this machine's cores.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CborCodec, Uuid } from "surrealdb";
import { loadConfig } from "../config.js";
import { jobRecordId } from "../core/ids.js";
import { connect, connectFromConfig, migrate, type Db } from "../db/index.js";
import { openNativeEngine } from "../db/native.js";
import { CommandRegistry, LeaseStore, Queue, queueMigrations } from "../queue/index.js";
import { TEST_COMMANDS } from "../testing/commands.js";
import { readDaemonState } from "../worker/daemon.js";

const CLI = fileURLToPath(new URL("../cli.js", import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Jobs in the throughput burst. */
const BURST = 2_000;
/** Jobs one submit round trip carries in the burst. */
const SUBMIT_BATCH = 100;
/** The least CPU per job the DB host's JavaScript (its relay) spent in a throughput run (ms): see engineFloor. */
let leastRelayMs = Number.POSITIVE_INFINITY;

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

/** Finished jobs: a count over the done lane of the claim index (it reads every one: not for polling). */
async function countDone(db: Db): Promise<number> {
  const sql = "SELECT count() AS c FROM command WHERE lane = 'done' GROUP ALL";
  const [rows] = await db.query<[Array<{ c: number }>]>(sql).collect();
  return rows[0]?.c ?? 0;
}

/** Whether every one of these jobs has finished: point reads only, cheap enough to poll. */
async function allDone(db: Db, ids: unknown[]): Promise<boolean> {
  const [open] = await db.query<[unknown[]]>("SELECT VALUE id FROM $ids WHERE lane != 'done'", { ids }).collect();
  return open.length === 0;
}

/** CPU ms (user + system) a process has used so far, from /proc; undefined off Linux or once it is gone. */
function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in USER_HZ (100 on Linux)
  } catch {
    return undefined;
  }
}

/**
 * CPU ms of one process by the kind of thread that spent it: the database engine's async runtime
 * (tokio), RocksDB's own threads, and Node's main thread (JavaScript: the host's RPC, the SDK).
 */
function cpuByThread(pid: number): Record<"engine" | "rocksdb" | "js" | "other", number> {
  const out = { engine: 0, rocksdb: 0, js: 0, other: 0 };
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ms = ((Number(f[11]) + Number(f[12])) * 1000) / 100;
      const main = t === String(pid);
      out[name.startsWith("tokio") ? "engine" : name.startsWith("rocksdb") ? "rocksdb" : main ? "js" : "other"] += ms;
    }
  } catch {
    /* gone, or not Linux */
  }
  return out;
}

/** Pids of the worker processes of one data dir (they run `worker --data-dir <dir>`). */
function workerPids(dir: string): number[] {
  if (process.platform !== "linux") return [];
  const pids: number[] = [];
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const args = readFileSync(`/proc/${e}/cmdline`, "utf8").split("\0");
      if (args.includes("worker") && args[args.indexOf("--data-dir") + 1] === dir) pids.push(Number(e));
    } catch {
      /* gone */
    }
  }
  return pids;
}

interface Daemon {
  db: Db;
  queue: Queue;
  dir: string;
  pid: number;
}

/**
 * `workerIdleExit`: the daemon's workers leave when idle (the default, 30 s); the daemon then holds
 * a LIVE query of its own to wake them. "0" (most runs here): they stay, and it holds none.
 */
async function withDaemon(
  workers: number,
  concurrency: number,
  fn: (d: Daemon) => Promise<void>,
  workerIdleExit = "0",
): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "podcast-mcp-bench-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: "warn",
    PODCAST_MCP_DATA_DIR: dir,
    PODCAST_MCP_TEST_COMMANDS: "1",
    PODCAST_MCP_WORKER_IDLE_EXIT: workerIdleExit,
  };
  for (const k of Object.keys(env))
    if (/^(SURREAL_|PODCAST_MCP_(WORKERS|CONCURRENCY|LEASE|POLL))/.test(k)) delete env[k];
  env.PODCAST_MCP_CONCURRENCY = String(concurrency);
  const args = [CLI, "daemon", "--workers", String(workers), "--data-dir", dir];
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "ignore", "inherit"] });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    await until(async () => (await readDaemonState(dir)) !== undefined, 30_000);
    const db = await connectFromConfig(loadConfig({ PODCAST_MCP_DATA_DIR: dir }), { waitMs: 10_000 });
    try {
      await fn({ db, queue: new Queue(db, new CommandRegistry(TEST_COMMANDS)), dir, pid: child.pid! });
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

async function pickupMs(d: Daemon, rounds: number): Promise<number[]> {
  const lat: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const { job_id } = await d.queue.submit("noop", {});
    await until(async () => (await d.queue.status(job_id)).status === "completed", 10_000, 5);
    lat.push(await pickedUpAfterMs(d.db, job_id));
  }
  return lat.sort((a, b) => a - b);
}

/** started − created of one job, in ms to the microsecond (one database clock). */
async function pickedUpAfterMs(db: Db, jobId: string): Promise<number> {
  const sql = "SELECT VALUE duration::micros(started - created) FROM type::record($id)";
  const [[us]] = await db.query<[[number]]>(sql, { id: jobId }).collect();
  return us! / 1000;
}

async function throughput(workers: number, concurrency: number, workerIdleExit = "0"): Promise<number> {
  let rate = 0;
  await withDaemon(
    workers,
    concurrency,
    async (d) => {
      // Let the workers start and subscribe before timing anything.
      const warm = await d.queue.submit("noop", {});
      await until(async () => (await d.queue.status(warm.job_id)).status === "completed", 30_000);
      await until(async () => workerPids(d.dir).length >= workers || process.platform !== "linux", 10_000);

      // Pickup: jobs one at a time on idle workers, so each measures a wake-up, not a backlog.
      const lat = await pickupMs(d, 100);

      // Throughput: a burst, submit of the first to completion of the last, and the CPU it took.
      const pids = { host: [d.pid], workers: workerPids(d.dir) };
      const cpu = (list: number[]) => list.reduce((sum, p) => sum + (cpuMs(p) ?? 0), 0);
      const before = {
        host: cpu(pids.host),
        threads: cpuByThread(d.pid),
        workers: cpu(pids.workers),
        bench: process.cpuUsage(),
      };
      const done0 = await countDone(d.db);
      const t0 = performance.now();
      let last: unknown[] = [];
      const batch = Array.from({ length: SUBMIT_BATCH }, () => ({}));
      for (let i = 0; i < BURST; i += SUBMIT_BATCH) {
        last = (await d.queue.submitMany("noop", batch)).map((id) => jobRecordId(id));
      }
      const submitted = performance.now();
      // Jobs run oldest first, so the last one submitted is among the last to finish (the count, which
      // reads every finished job, confirms it once): polling the count itself was measured to cost the
      // host more than the jobs, and polling the last batch's 100 jobs every 10 ms still cost it
      // ~0.3 ms of CPU per job (this run's figures are without either).
      const tail = last.slice(-1);
      await until(async () => (await allDone(d.db, tail)) && (await countDone(d.db)) >= done0 + BURST, 300_000, 10);
      const secs = (performance.now() - t0) / 1000;
      rate = BURST / secs;
      const benchCpu = process.cpuUsage(before.bench);
      const threads = cpuByThread(d.pid);
      const perJob = (ms: number) => ((ms / BURST) * 1000).toFixed(0);
      // The host's relay is the one cost the in-process floor does not have (its SDK work stands for
      // the workers' and the submitter's): the least of it seen in this run adds to it (engineFloor).
      const relay = (threads.js - before.threads.js) / BURST;
      if (process.platform === "linux") leastRelayMs = Math.min(leastRelayMs, relay);
      const cpuLine =
        process.platform === "linux"
          ? `; CPU per job: daemon (DB host) ${perJob(cpu(pids.host) - before.host)} µs ` +
            `(engine ${perJob(threads.engine - before.threads.engine)}, ` +
            `RocksDB ${perJob(threads.rocksdb - before.threads.rocksdb)}, ` +
            `JavaScript ${perJob(threads.js - before.threads.js)}), ` +
            `workers ${perJob(cpu(pids.workers) - before.workers)} µs, this process (submits + polling) ` +
            `${perJob((benchCpu.user + benchCpu.system) / 1000)} µs`
          : "";
      console.log(
        `local host, ${workers} worker process(es) × concurrency ${concurrency}` +
          (workerIdleExit === "0"
            ? ""
            : `, workers leave when idle (${workerIdleExit}; the daemon holds a LIVE query)`) +
          ": " +
          `pickup p50 ${pct(lat, 50).toFixed(1)} ms, p90 ${pct(lat, 90).toFixed(1)} ms, ` +
          `p99 ${pct(lat, 99).toFixed(1)} ms; ` +
          `${BURST} no-op jobs in ${secs.toFixed(2)} s ` +
          `= ${Math.round(rate)} jobs/s (submits done after ${((submitted - t0) / 1000).toFixed(2)} s)${cpuLine}`,
      );
    },
    workerIdleExit,
  );
  return rate;
}

/** One round trip's parts: the host's answer vs the engine's own, and the SDK's CBOR. */
async function roundTrip(): Promise<void> {
  const codec = CborCodec.DEFAULT;
  const time = async (n: number, fn: () => Promise<unknown>) => {
    const t: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = performance.now();
      await fn();
      t.push(performance.now() - a);
    }
    return pct(
      t.sort((a, b) => a - b),
      50,
    );
  };
  let viaHost = 0;
  await withDaemon(0, 1, async (d) => {
    viaHost = await time(500, () => d.db.query("RETURN 1").collect());
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), "podcast-mcp-bench-"));
  const engine = await openNativeEngine(`rocksdb://${path.join(dir, "db")}`);
  try {
    const session = Uuid.v4();
    await engine.execute(codec.encode({ id: 1, method: "attach", session }) as Uint8Array);
    await engine.execute(codec.encode({ id: 1, method: "use", params: ["bench", "bench"], session }) as Uint8Array);
    const req = codec.encode({ id: 2, method: "query", params: ["RETURN 1", {}], session }) as Uint8Array;
    const native = await time(2_000, () => engine.execute(req));
    const job = {
      id: 2,
      result: [
        {
          status: "OK",
          time: "1ms",
          result: [{ id: "command:abc", attempts: 1, max_attempts: 3, name: "noop", args: {}, crashes: 0 }],
        },
      ],
    };
    const bytes = codec.encode(job) as Uint8Array;
    const n = 20_000;
    let a = performance.now();
    for (let i = 0; i < n; i++) codec.encode({ id: 2, method: "query", params: ["RETURN 1", {}], session });
    const enc = ((performance.now() - a) / n) * 1000;
    a = performance.now();
    for (let i = 0; i < n; i++) codec.decode(bytes);
    const dec = ((performance.now() - a) / n) * 1000;
    console.log(
      `a no-op query (RETURN 1): p50 ${viaHost.toFixed(2)} ms through the local DB host, ` +
        `${native.toFixed(2)} ms from the engine in this process; SDK CBOR: encode a request ${enc.toFixed(0)} µs, ` +
        `decode a claimed job ${dec.toFixed(0)} µs`,
    );
  } finally {
    engine.free();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function claimCost(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "podcast-mcp-bench-"));
  const db = await connect({ url: `rocksdb://${path.join(dir, "db")}`, namespace: "bench", database: "bench" });
  try {
    await migrate(db, queueMigrations);
    const queue = new Queue(db, new CommandRegistry(TEST_COMMANDS));
    const store = new LeaseStore(db, { leaseMs: 60_000 });
    const finished = async (count: number) =>
      db
        .query(
          `FOR $i IN 0..${count} { CREATE command CONTENT { app: 'bench', name: 'noop', args: {},
             status: 'completed', lane: 'done', attempts: 1, max_attempts: 3, priority: 0, n: $i,
             run_after: time::now(), result: { ok: true } }; }`,
        )
        .collect();
    const measure = async () => {
      // 200 waiting jobs; each claim takes one, each batch claim 8.
      for (let i = 0; i < 200; i += 50) await Promise.all(Array.from({ length: 50 }, () => queue.submit("noop", {})));
      const one: number[] = [];
      for (let i = 0; i < 100; i++) {
        const t = performance.now();
        await store.claim("bench", { max: 1 });
        one.push(performance.now() - t);
      }
      const eight: number[] = [];
      for (let i = 0; i < 12; i++) {
        const t = performance.now();
        await store.claim("bench", { max: 8 });
        eight.push(performance.now() - t);
      }
      await db.query("DELETE command WHERE lane IN ['ready', 'running']").collect();
      return { one: one.sort((a, b) => a - b), eight: eight.sort((a, b) => a - b) };
    };
    await finished(100);
    const small = await measure();
    await finished(19_900);
    const large = await measure();
    const fmt = (m: { one: number[]; eight: number[] }) =>
      `1 job p50 ${pct(m.one, 50).toFixed(2)} ms (p99 ${pct(m.one, 99).toFixed(2)}), ` +
      `8 jobs p50 ${pct(m.eight, 50).toFixed(2)} ms`;
    console.log(`claim (one statement), embedded rocksdb: at 100 finished jobs ${fmt(small)}; at 20,000 ${fmt(large)}`);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The engine alone, in this process: see the header. */
async function engineFloor(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "podcast-mcp-bench-"));
  const db = await connect({ url: `rocksdb://${path.join(dir, "db")}`, namespace: "bench", database: "bench" });
  const cpu = () => {
    const u = process.cpuUsage(); // every thread of this process: the engine's, RocksDB's and the SDK's
    return (u.user + u.system) / 1000;
  };
  try {
    await migrate(db, queueMigrations);
    const queue = new Queue(db, new CommandRegistry(TEST_COMMANDS));
    const store = new LeaseStore(db, { leaseMs: 60_000 });
    const pickup: number[] = [];
    for (let i = 0; i < 100; i++) {
      const { job_id } = await queue.submit("noop", {});
      const [lease] = await store.claim("bench", { max: 1 });
      pickup.push(await pickedUpAfterMs(db, job_id));
      await store.complete(lease!, null);
    }
    pickup.sort((a, b) => a - b);
    const n = 1_600;
    const parts = { insert: 0, claim: 0, complete: 0 };
    let at = cpu();
    const lap = (part: keyof typeof parts) => {
      const now = cpu();
      parts[part] += now - at;
      at = now;
    };
    const batch = Array.from({ length: SUBMIT_BATCH }, () => ({}));
    for (let i = 0; i < n; i += SUBMIT_BATCH) await queue.submitMany("noop", batch);
    lap("insert");
    for (let i = 0; i < n; i += 16) {
      at = cpu();
      const leases = await store.claim("bench", { max: 16 });
      lap("claim");
      await store.completeAndClaim(leases.map((lease) => ({ lease, result: null })));
      lap("complete");
    }
    const per = (ms: number) => ms / n;
    const total = per(parts.insert) + per(parts.claim) + per(parts.complete);
    const cores = os.availableParallelism();
    console.log(
      `engine floor (in this process: no DB host, no worker processes, no LIVE query): a claim sent the moment ` +
        `its submit returns picks the job up after p50 ${pct(pickup, 50).toFixed(1)} ms (p90 ${pct(pickup, 90).toFixed(1)}); ` +
        `CPU per job at the best batching ${total.toFixed(2)} ms (insert of ${SUBMIT_BATCH} ${per(parts.insert).toFixed(2)}, ` +
        `claim of 16 ${per(parts.claim).toFixed(2)}, completion of 16 ${per(parts.complete).toFixed(2)}), so at most ` +
        `${Math.round((cores * 1000) / total)} jobs/s on ${cores} cores with nothing else running` +
        (Number.isFinite(leastRelayMs)
          ? `; with the least relay CPU per job seen in the DB host above (${leastRelayMs.toFixed(2)} ms), at most ` +
            `${Math.round((cores * 1000) / (total + leastRelayMs))} jobs/s through it`
          : ""),
    );
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function queueBench(): Promise<void> {
  for (const concurrency of [2, 16]) {
    const one = await throughput(1, concurrency);
    const two = await throughput(2, concurrency);
    console.log(`concurrency ${concurrency}: 2 worker processes vs 1: ${(two / one).toFixed(2)}× the jobs/s`);
  }
  // The default daemon (workers leave after 30 s idle) holds a `LIVE SELECT *` of its own on the table.
  await throughput(2, 16, "30s");
  await roundTrip();
  await claimCost();
  await engineFloor();
}
