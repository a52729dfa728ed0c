// Which process holds the store's lock, so "the store is in use" can name it. RocksDB takes a POSIX
// record lock (fcntl) on `<store>/LOCK`; Linux lists every such lock in /proc/locks as
// "<n>: POSIX ADVISORY WRITE <pid> <major>:<minor>:<inode> <start> <end>". Elsewhere (or when the
// file cannot be read) the answer is undefined and the message goes without a pid.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";

export async function storeLockHolder(storeDir: string): Promise<number | undefined> {
  try {
    const { ino } = await stat(path.join(storeDir, "LOCK"));
    const locks = await readFile("/proc/locks", "utf8");
    for (const line of locks.split("\n")) {
      const f = line.trim().split(/\s+/);
      // f: ["1:", "POSIX", "ADVISORY", "WRITE", "<pid>", "<maj:min:ino>", ...]; OFD locks show pid -1
      const pid = Number(f[4]);
      if (f[1] === "POSIX" && Number.isInteger(pid) && pid > 0 && f[5]?.split(":")[2] === String(ino)) return pid;
    }
  } catch {
    // no LOCK file yet, or no /proc: nothing to name
  }
  return undefined;
}
