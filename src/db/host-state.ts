// The local DB host's state file, `<dataDir>/db-host.json`: how other processes find the host
// (url, port) and prove they may use it (secret). Mode 0600: the secret is the only guard on a
// loopback port that every local user could otherwise reach.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

export interface HostState {
  port: number;
  pid: number;
  secret: string;
  url: string;
  /** ISO time the host started. */
  started: string;
}

export const STATE_FILE = "db-host.json";

export function stateFilePath(dataDir: string): string {
  return path.join(dataDir, STATE_FILE);
}

export function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** True when a process with this pid exists (EPERM means it exists but is not ours to signal). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function isHostState(v: unknown): v is HostState {
  const s = v as Partial<HostState> | null;
  return (
    typeof s === "object" &&
    s !== null &&
    typeof s.port === "number" &&
    typeof s.pid === "number" &&
    typeof s.secret === "string" &&
    typeof s.url === "string" &&
    typeof s.started === "string"
  );
}

/** The state file as written, whether or not its process still runs; undefined when missing or unreadable. */
export async function readStateFile(dataDir: string): Promise<HostState | undefined> {
  const found = await inspectStateFile(dataDir);
  return found.kind === "ok" ? found.state : undefined;
}

export type StateFile =
  | { kind: "missing" }
  /** There, but not a state file: half-written by hand, truncated, or unreadable. */
  | { kind: "corrupt"; reason: string }
  | { kind: "ok"; state: HostState };

/** What is in the state file, telling a missing file from a corrupt one. */
export async function inspectStateFile(dataDir: string): Promise<StateFile> {
  let text: string;
  try {
    text = await readFile(stateFilePath(dataDir), "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { kind: "missing" };
    return { kind: "corrupt", reason: `unreadable (${code ?? (err as Error).message})` };
  }
  const state = parseState(text);
  if (state) return { kind: "ok", state };
  return { kind: "corrupt", reason: "not valid JSON with port, pid, secret, url and started" };
}

function parseState(text: string): HostState | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isHostState(parsed) ? parsed : undefined;
  } catch {
    return undefined; // half-written or corrupt: treated as absent
  }
}

/** readHostState for a synchronous caller (a socket constructor picking its address). */
export function readHostStateSync(dataDir: string): HostState | undefined {
  let text: string;
  try {
    text = readFileSync(stateFilePath(dataDir), "utf8");
  } catch {
    return undefined;
  }
  const state = parseState(text);
  return state && pidAlive(state.pid) ? state : undefined;
}

/** The running host's state; undefined when there is no state file or its pid is dead. */
export async function readHostState(dataDir: string): Promise<HostState | undefined> {
  const state = await readStateFile(dataDir);
  return state && pidAlive(state.pid) ? state : undefined;
}

/** Written to a temp file and renamed, so a reader never sees half a file. */
export async function writeHostState(dataDir: string, state: HostState): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const file = stateFilePath(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600); // the umask may have narrowed the mode, never widened it; make it exact
  await rename(tmp, file);
}

/** Removes the state file only if it still names this pid (a successor may have replaced it). */
export async function removeHostState(dataDir: string, pid: number): Promise<void> {
  const current = await readStateFile(dataDir);
  if (current && current.pid !== pid) return;
  await rm(stateFilePath(dataDir), { force: true });
}
