// Is a DB host serving this data dir right now? A state file can lie three ways: it is gone (a
// clean stop), it is corrupt (edited, truncated), or it names a pid that is alive but is not a host
// (the pid was reused after a crash or reboot, or the host hangs) — then nothing listens on its port
// and a client would wait for ever (measured: the stdio server hung before `initialize`). Each is
// told apart here, with bounded waits only, so callers can say what is wrong and what to do.
import { connect as tcpConnect } from "node:net";
import { inspectStateFile, pidAlive, stateFilePath, type HostState } from "./host-state.js";

export type HostStatus =
  | { kind: "running"; state: HostState }
  /** No host: `why` says how we know, in words for a log line or an error. */
  | { kind: "none"; why: string; state?: HostState }
  | { kind: "corrupt"; why: string };

/** True when something accepts a TCP connection on 127.0.0.1:port within the time. */
export function portAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = tcpConnect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once("connect", () => done(true));
    sock.once("error", () => done(false));
  });
}

export async function hostStatus(dataDir: string): Promise<HostStatus> {
  const file = stateFilePath(dataDir);
  const found = await inspectStateFile(dataDir);
  if (found.kind === "missing") return { kind: "none", why: `no ${file}` };
  if (found.kind === "corrupt") return { kind: "corrupt", why: `${file} is corrupt: ${found.reason}` };
  const { state } = found;
  if (!pidAlive(state.pid)) return { kind: "none", why: `${file} names pid ${state.pid}, which is not running`, state };
  if (!(await portAnswers(state.port))) {
    return {
      kind: "none",
      why:
        `${file} names pid ${state.pid}, which runs but does not listen on port ${state.port} ` +
        "(not a DB host, or a hung one)",
      state,
    };
  }
  return { kind: "running", state };
}
