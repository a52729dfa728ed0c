// Resident memory of the local daemon and its workers (ps RSS, summed over the data dir's
// processes): idle right after start (workers asleep), while two workers make an episode with the
// pipeline loaded, and idle again once the workers have left. Goal from issue 7: idle under 200 MB.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../config.js";
import { connectFromConfig, migrate } from "../db/index.js";
import { PODCAST_COMMANDS } from "../podcasts/commands.js";
import { PodcastService } from "../podcasts/service.js";
import { createProviders, createVoiceCheck } from "../providers/index.js";
import { CommandRegistry, Queue } from "../queue/index.js";
import { MIGRATIONS } from "../schema.js";
import { silentLogger } from "../log.js";
import { readDaemonState } from "../worker/daemon.js";

const CLI = fileURLToPath(new URL("../cli.js", import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** RSS in MB of every live process started with --data-dir <dir> (Linux /proc). */
function rssOf(dir: string): { total: number; each: number[] } {
  const each: number[] = [];
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const args = readFileSync(`/proc/${e}/cmdline`, "utf8").split("\0");
      if (args[args.indexOf("--data-dir") + 1] !== dir) continue;
      each.push(Number(execFileSync("ps", ["-o", "rss=", "-p", e]).toString().trim()) / 1024);
    } catch {
      /* gone */
    }
  }
  return { total: each.reduce((a, b) => a + b, 0), each };
}

const fmt = (r: { total: number; each: number[] }) =>
  `${r.total.toFixed(0)} MB (${r.each.map((x) => x.toFixed(0)).join(" + ")})`;

export async function footprintBench(): Promise<void> {
  if (process.platform !== "linux") return void console.log("footprint: needs Linux /proc; skipped");
  const dir = mkdtempSync(path.join(os.tmpdir(), "podcast-mcp-bench-"));
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "warn", PODCAST_MCP_WORKER_IDLE_EXIT: "5s" };
  for (const k of Object.keys(env)) if (/^(SURREAL_|OPENAI_|ELEVENLABS_)/.test(k)) delete env[k];
  const child = spawn(process.execPath, [CLI, "daemon", "--workers", "2", "--data-dir", dir], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    while (!(await readDaemonState(dir))) await sleep(100);
    await sleep(3_000);
    console.log(`idle after start (workers asleep): ${fmt(rssOf(dir))}`);

    const config = loadConfig({ PODCAST_MCP_DATA_DIR: dir, LOG_LEVEL: "silent" });
    const db = await connectFromConfig(config, { waitMs: 10_000 });
    await migrate(db, MIGRATIONS);
    const queue = new Queue(db, new CommandRegistry(PODCAST_COMMANDS));
    const service = new PodcastService({
      db,
      queue,
      config,
      log: silentLogger,
      checkVoices: createVoiceCheck(config, createProviders(config, silentLogger)),
    });
    await service.init();
    const text = "Tides rise and fall twice a day. The moon pulls the oceans toward it. ".repeat(20);
    const jobs = await Promise.all(
      [1, 2].map((i) =>
        service.submitEpisode({ episode_profile: "solo_expert", episode_name: `Footprint ${i}`, content: text }),
      ),
    );
    let peak = { total: 0, each: [] as number[] };
    for (;;) {
      const r = rssOf(dir);
      if (r.total > peak.total) peak = r;
      const st = await Promise.all(jobs.map((j) => queue.status(j.job_id)));
      if (st.every((s) => ["completed", "failed", "canceled"].includes(s.status))) break;
      await sleep(250);
    }
    console.log(`making 2 episodes (2 workers, pipeline loaded), peak: ${fmt(peak)}`);
    await db.close();
    // Workers leave after 5 s idle here (30 s by default), then the daemon alone remains.
    await sleep(8_000);
    console.log(`idle again after the workers left: ${fmt(rssOf(dir))} (goal: under 200 MB)`);
  } finally {
    child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}
