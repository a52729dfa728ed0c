// MCP tool latency over stdio: generate_podcast and get_job_status, p50/p95, first with idle
// workers, then while the 2 workers are busy making episodes (built-in writer and voices, CPU
// bound on a 2-core machine). The ratio busy/idle is the figure to compare across machines.
// Then the floor under generate_podcast: the same submit (checks, then one transaction) with the
// embedded engine in this process, so no MCP, no DB host and no workers (issue 9 §5).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { loadConfig } from "../config.js";
import { connect, migrate } from "../db/index.js";
import { silentLogger } from "../log.js";
import { PODCAST_COMMANDS } from "../podcasts/commands.js";
import { PodcastService } from "../podcasts/service.js";
import { createProviders, createVoiceCheck } from "../providers/index.js";
import { CommandRegistry, Queue } from "../queue/index.js";
import { MIGRATIONS } from "../schema.js";

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "cli.js");
const TEXT =
  "Rivers carve valleys over millions of years. Water picks up sand and stones and grinds the rock below. " +
  "Floods move more in a day than a calm year does. Where the river slows, it drops what it carries and builds plains. ";

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

const row = (name: string, xs: number[]) =>
  `${name.padEnd(42)} p50 ${pct(xs, 50).toFixed(1).padStart(6)} ms   p95 ${pct(xs, 95).toFixed(1).padStart(6)} ms   (n=${xs.length})`;

async function timeCalls(n: number, call: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const own = await call(i);
    // A call may time only part of itself (and return that figure).
    out.push(typeof own === "number" ? own : performance.now() - t0);
  }
  return out;
}

function stopDaemon(dataDir: string): void {
  for (const f of ["daemon.json", "db-host.json"]) {
    try {
      process.kill(Number(JSON.parse(readFileSync(path.join(dataDir, f), "utf8")).pid), "SIGTERM");
    } catch {
      /* not running */
    }
  }
}

/** submitEpisode with the engine in this process (rocksdb, synced at every commit as the host's store is). */
async function submitInProcess(n: number): Promise<number[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "podcast-mcp-bench-"));
  const config = loadConfig({ LOG_LEVEL: "silent" }, { dataDir: dir });
  const db = await connect({ url: `rocksdb://${path.join(dir, "db")}`, namespace: "bench", database: "bench" });
  try {
    await migrate(db, MIGRATIONS);
    const queue = new Queue(db, new CommandRegistry(PODCAST_COMMANDS));
    const checkVoices = createVoiceCheck(config, createProviders(config, silentLogger));
    const service = new PodcastService({ db, queue, config, log: silentLogger, checkVoices });
    await service.init();
    const submit = (i: number) =>
      service.submitEpisode({
        episode_profile: "tech_discussion",
        episode_name: `Bench ${i}`,
        content: TEXT.repeat(3),
      });
    await timeCalls(20, submit); // warm-up
    const times = await timeCalls(n, submit);
    await service.close();
    return times;
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function mcpBench(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "podcast-mcp-bench-"));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(OPENAI_|ELEVENLABS_|SURREAL_)/.test(k)) env[k] = v;
  Object.assign(env, { PODCAST_MCP_DATA_DIR: dataDir, LOG_LEVEL: "warn", PODCAST_MCP_WORKERS: "2" });
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI], env, stderr: "ignore" }));
  try {
    const gen = (i: number) =>
      client.callTool({
        name: "generate_podcast",
        arguments: { episode_profile: "tech_discussion", episode_name: `Bench ${i}`, content: TEXT.repeat(3) },
      });
    const first = (await gen(-1)).structuredContent as { job_id: string };
    const status = () => client.callTool({ name: "get_job_status", arguments: { job_id: first.job_id } });
    // idle baseline: cancel what we just made so the workers rest
    await client.callTool({ name: "cancel_job", arguments: { job_id: first.job_id } });
    await new Promise((r) => setTimeout(r, 1000));
    const idleStatus = await timeCalls(100, status);
    // generate_podcast with the workers resting: each call is canceled at once, so nothing runs.
    const idleGen = await timeCalls(30, async (i) => {
      const t0 = performance.now();
      const r = (await gen(-100 - i)).structuredContent as { job_id: string };
      const ms = performance.now() - t0;
      await client.callTool({ name: "cancel_job", arguments: { job_id: r.job_id } });
      return ms;
    });

    // busy: 8 episodes queued keep both workers making audio during the measurement
    for (let i = 0; i < 8; i++) await gen(i);
    await new Promise((r) => setTimeout(r, 1500));
    const busyGen = await timeCalls(30, (i) => gen(100 + i));
    const busyStatus = await timeCalls(100, status);
    const running = (
      (await client.callTool({ name: "list_episodes", arguments: { status: "running" } })).structuredContent as {
        episodes: unknown[];
      }
    ).episodes.length;

    console.log(row("get_job_status, workers idle", idleStatus));
    console.log(row("get_job_status, 2 workers busy", busyStatus));
    console.log(row("generate_podcast, workers idle", idleGen));
    console.log(row("generate_podcast, 2 workers busy", busyGen));
    console.log(
      `episodes running during the busy phase: ${running}; busy/idle p50 ratio for get_job_status: ${(pct(busyStatus, 50) / pct(idleStatus, 50)).toFixed(2)}`,
    );
  } finally {
    await client.close().catch(() => {});
    stopDaemon(dataDir);
    await new Promise((r) => setTimeout(r, 3000));
    rmSync(dataDir, { recursive: true, force: true });
  }
  // After the daemon is gone, so nothing else runs: what the engine alone takes for the same submit.
  console.log(row("generate's submit, engine in this process", await submitInProcess(100)));
}
