// The temporary directories Flite works in: one per synthesis, owned by this (parent) process,
// never by the speech host, so a host that crashes mid-write leaves nothing behind for long:
// - the synthesis removes its directory when it ends, whatever the ending (the host has exited
//   or answered by then, so nothing is written into it afterwards);
// - directories still open when this process exits are removed by an exit hook;
// - directories of a process that died without running its hooks (SIGKILL, OOM) carry its pid
//   in their name, and the first synthesis of a later process removes those whose pid is gone.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const PREFIX = "podcast-mcp-flite-";
const open = new Set<string>();
let hooked = false;
let swept = false;

/** A new private directory for one synthesis (0700, named after this process). */
export async function makeSpeechDir(): Promise<string> {
  if (!swept) {
    swept = true;
    await sweepOrphans(os.tmpdir());
  }
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
  open.add(dir);
  if (!hooked) {
    hooked = true;
    process.once("exit", () => {
      for (const d of open) fs.rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}

export async function removeSpeechDir(dir: string): Promise<void> {
  await fs.promises.rm(dir, { recursive: true, force: true });
  open.delete(dir);
}

/** Removes speech dirs left by processes that no longer run. Best effort: a failure here must not fail a synthesis. */
export async function sweepOrphans(root: string): Promise<number> {
  let names: string[];
  try {
    names = await fs.promises.readdir(root);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const pid = Number(/^podcast-mcp-flite-(\d+)-/.exec(name)?.[1]);
    if (!Number.isSafeInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    const rm = fs.promises.rm(path.join(root, name), { recursive: true, force: true });
    if (
      await rm.then(
        () => true,
        () => false,
      )
    )
      removed++;
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, under another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
