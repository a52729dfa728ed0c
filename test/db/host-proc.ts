// Spawns test/db/run-host.mjs (the built host) in a child process with its own data dir.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cleanEnv, stopProc, waitFor } from "../helpers/procs.js";
import { readHostState, type HostState } from "../../src/db/index.js";

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "run-host.mjs");
const children = new Set<ChildProcess>();

export interface HostProc {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

export interface SpawnHostOptions {
  /** The command line that runs the host, given the plain one (e.g. a shell that lowers a limit first). */
  wrap?: (host: string[]) => string[];
  /** Where the host's stderr goes (a file descriptor), instead of a pipe the test reads. */
  stderrFd?: number;
  env?: Record<string, string>;
}

/** The node command line that runs the built host. */
export const HOST_COMMAND = [process.execPath, SCRIPT];

export function spawnHost(dataDir: string, opts: SpawnHostOptions = {}): HostProc {
  const [cmd, ...args] = opts.wrap ? opts.wrap(HOST_COMMAND) : HOST_COMMAND;
  const env = cleanEnv({ PODCAST_MCP_DATA_DIR: dataDir, LOG_LEVEL: "warn", ...opts.env });
  const stdio = ["ignore", "ignore", opts.stderrFd ?? "pipe"] as const;
  const child = spawn(cmd!, args, { env, stdio: [...stdio] });
  children.add(child);
  let err = "";
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { child, stderr: () => err, exited };
}

/** Waits until the host child has written its state file. */
export async function hostReady(dataDir: string, proc: HostProc): Promise<HostState> {
  return waitFor(async () => {
    if (proc.child.exitCode !== null) throw new Error(`host exited ${proc.child.exitCode}: ${proc.stderr()}`);
    const s = await readHostState(dataDir);
    return s?.pid === proc.child.pid ? s : undefined;
  }, 20_000);
}

export async function stopHosts(): Promise<void> {
  await Promise.all([...children].map((c) => stopProc(c)));
}
