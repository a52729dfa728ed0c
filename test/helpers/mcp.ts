// MCP clients against the built server, and the cleanup of the daemon the server starts.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, beforeAll } from "vitest";
import { CLI, cleanEnv, stopAll, tmpDataDir } from "./procs.js";

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(JSON.parse(readFileSync(file, "utf8")).pid);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export async function waitGone(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!pidAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !pidAlive(pid);
}

/** Pids of live processes started with `--data-dir <dataDir>` (Linux /proc; empty elsewhere). */
export function pidsUsing(dataDir: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const args = readFileSync(`/proc/${e}/cmdline`, "utf8").split("\0");
      const i = args.indexOf("--data-dir");
      if (i >= 0 && args[i + 1] === dataDir) out.push(Number(e));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** The parent pid of a live process (Linux /proc), or undefined. */
export function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

/**
 * Stops the detached daemon (and its DB host, if separate) that a server started in dataDir, then
 * makes sure nothing started for that data dir is left (a leftover holds the store's lock).
 */
export async function stopDaemon(dataDir: string): Promise<void> {
  await stopDaemonByState(dataDir);
  const left = pidsUsing(dataDir);
  for (const pid of left) process.kill(pid, "SIGKILL");
  for (const pid of left) await waitGone(pid, 5_000);
  if (left.length) throw new Error(`processes were left running for ${dataDir}: ${left.join(", ")}`);
}

async function stopDaemonByState(dataDir: string): Promise<void> {
  const pids = [readPid(path.join(dataDir, "daemon.json")), readPid(path.join(dataDir, "db-host.json"))].filter(
    (p): p is number => p !== undefined,
  );
  for (const pid of new Set(pids)) {
    if (!pidAlive(pid)) continue;
    process.kill(pid, "SIGTERM");
    if (!(await waitGone(pid, 15_000))) {
      process.kill(pid, "SIGKILL");
      await waitGone(pid, 5_000);
    }
  }
}

export interface StdioSession {
  client: Client;
  transport: StdioClientTransport;
  stderr: () => string;
  close(): Promise<void>;
}

export async function connectStdio(
  dataDir: string,
  extraEnv: Record<string, string | undefined> = {},
  opts: { modern?: boolean } = {},
): Promise<StdioSession> {
  const env = cleanEnv({ PODCAST_MCP_DATA_DIR: dataDir, ...extraEnv });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI],
    env: env as Record<string, string>,
    stderr: "pipe",
  });
  let err = "";
  transport.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const client = new Client(
    { name: "podcast-mcp-test", version: "1.0.0" },
    opts.modern ? { versionNegotiation: { mode: "auto" } } : {},
  );
  await client.connect(transport);
  return { client, transport, stderr: () => err, close: () => client.close() };
}

/** The JSON a tool put in structuredContent, or a thrown Error with the isError text. */
export function structured<T = Record<string, unknown>>(result: unknown): T {
  const r = result as { isError?: boolean; structuredContent?: unknown; content?: { type: string; text?: string }[] };
  if (r.isError) throw new Error(`tool error: ${r.content?.map((c) => c.text).join(" ")}`);
  return r.structuredContent as T;
}

export function errorText(result: unknown): string {
  const r = result as { isError?: boolean; content?: { type: string; text?: string }[] };
  if (!r.isError) throw new Error(`expected an error result, got ${JSON.stringify(result).slice(0, 300)}`);
  return (r.content ?? []).map((c) => c.text ?? "").join(" ");
}

/**
 * One stdio session for a test file: a fresh data dir, the server (and the daemon it starts)
 * stopped afterwards. Read `session.s` inside tests.
 */
export function useStdioSession(
  extraEnv: Record<string, string | undefined> = {},
  opts: { modern?: boolean } = {},
): { readonly s: StdioSession; readonly dataDir: string } {
  let s: StdioSession | undefined;
  let dataDir = "";
  beforeAll(async () => {
    dataDir = tmpDataDir();
    s = await connectStdio(dataDir, extraEnv, opts);
  });
  afterAll(async () => {
    await s?.close().catch(() => {});
    if (dataDir) await stopDaemon(dataDir);
    await stopAll();
  });
  return {
    get s() {
      if (!s) throw new Error("the stdio session is not started yet");
      return s;
    },
    get dataDir() {
      return dataDir;
    },
  };
}
