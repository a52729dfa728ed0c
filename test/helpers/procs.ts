// Real processes for tests: each in its own temporary data dir, every one stopped afterwards.
// A leftover process holds the store's lock and breaks the next run, so `stopAll` escalates to
// SIGKILL and waits for the exit.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = path.join(ROOT, "dist", "cli.js");

const tracked = new Set<ChildProcess>();
const dirs: string[] = [];

/** Have stopAll stop a child this file started some other way than spawnCli. */
export function track(child: ChildProcess): ChildProcess {
  tracked.add(child);
  child.once("exit", () => tracked.delete(child));
  return child;
}

export function tmpDataDir(prefix = "podcast-mcp-test-"): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** Env for a child: no provider keys leak in from the developer's shell. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^(OPENAI_|ELEVENLABS_|SURREAL_|PODCAST_MCP_)/.test(k)) delete env[k];
  }
  env.LOG_LEVEL = extra.LOG_LEVEL ?? "warn";
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface Proc {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv, opts: { stdio?: "pipe" } = {}): Proc {
  void opts;
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
  tracked.add(child);
  let out = "";
  let err = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      tracked.delete(child);
      resolve({ code, signal });
    }),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function stopProc(p: Proc | ChildProcess, graceMs = 5000): Promise<void> {
  const child = "child" in p ? p.child : p;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const t = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await done;
  clearTimeout(t);
}

/** Stop every process this file started, then remove the temp dirs. Call in afterAll. */
export async function stopAll(): Promise<void> {
  await Promise.all([...tracked].map((c) => stopProc(c)));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export async function waitFor<T>(
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      lastErr = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`waitFor timed out after ${timeoutMs} ms${lastErr ? `: ${String(lastErr)}` : ""}`);
}
