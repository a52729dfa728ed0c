// What a daemon does with a host that asks to be restarted, for tests that need the host's process
// to change while something else (a private mount) lives on: runs run-host.mjs, starts it again
// when it exits 75, forwards SIGTERM. On SIGUSR1 it deletes the file named by FREE_ON_USR1 (room
// made on a full disk). Exits with the host's last exit code.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HOST = path.join(path.dirname(fileURLToPath(import.meta.url)), "run-host.mjs");
let child;
let stopping = false;
process.on("SIGTERM", () => {
  stopping = true;
  child?.kill("SIGTERM");
});
process.on("SIGUSR1", () => {
  if (process.env.FREE_ON_USR1) rmSync(process.env.FREE_ON_USR1, { force: true });
});
for (;;) {
  child = spawn(process.execPath, [HOST], { stdio: "inherit" });
  const code = await new Promise((resolve) => child.once("exit", (c) => resolve(c)));
  if (stopping || code !== 75) process.exit(code ?? 1);
}
