// Issue 8 §12: a state file that lies. A corrupt or deleted one is rewritten by the host that runs
// (so nobody starts a second daemon beside it), and a second host says whose lock it hit; one that
// names a live pid with nothing on its port, or a port that never answers, fails fast and says so.
import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { connect, connectFromConfig, hostLink, hostStatus, readHostState, type Db } from "../../src/db/index.js";
import { silentLogger } from "../../src/log.js";
import { stopAll, tmpDataDir, track, waitFor } from "../helpers/procs.js";
import { hostReady, spawnHost, stopHosts } from "./host-proc.js";

const open: Db[] = [];
afterAll(async () => {
  await Promise.all(open.map((db) => db.close().catch(() => undefined)));
  await stopHosts();
  await stopAll();
});

const config = (dataDir: string) => loadConfig({ PODCAST_MCP_DATA_DIR: dataDir, LOG_LEVEL: "silent" });

/** A live process that is not a DB host (what a reused pid looks like). */
function bystander(): number {
  const child = track(spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], { stdio: "ignore" }));
  return child.pid!;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

function writeState(dataDir: string, pid: number, port: number): void {
  const state = { pid, port, url: `ws://127.0.0.1:${port}`, secret: "x".repeat(43), started: new Date().toISOString() };
  writeFileSync(path.join(dataDir, "db-host.json"), JSON.stringify(state), { mode: 0o600 });
}

describe("a corrupt or missing state file while a host runs", () => {
  it("is rewritten by that host; a second host is refused, naming the first; clients keep working", async () => {
    const dataDir = tmpDataDir();
    const first = spawnHost(dataDir);
    const state = await hostReady(dataDir, first);
    const db = await connectFromConfig(config(dataDir), { waitMs: 5_000, log: silentLogger });
    open.push(db);

    writeFileSync(path.join(dataDir, "db-host.json"), '{"port": 12', { mode: 0o600 });
    expect(await hostStatus(dataDir)).toMatchObject({
      kind: "corrupt",
      why: expect.stringMatching(/db-host\.json is corrupt/),
    });
    const second = spawnHost(dataDir);
    expect(await second.exited).toBe(3);
    // Either it read the corrupt file and hit the lock, or the first host had rewritten it already.
    const pid = state.pid;
    expect(second.stderr()).toMatch(new RegExp(`in use by process ${pid}\\b|already runs .*\\(pid ${pid},`));

    const healed = await waitFor(() => readHostState(dataDir), 10_000);
    expect(healed).toEqual(state);
    rmSync(path.join(dataDir, "db-host.json"));
    expect(await waitFor(() => readHostState(dataDir), 10_000)).toEqual(state);
    const [two] = await db.query<[number]>("RETURN 1 + 1");
    expect(two).toBe(2);
    expect(first.child.exitCode).toBeNull();
  });
});

describe("a state file whose pid lives but is not a host", () => {
  it("with nothing on its port: no host, said plainly, without waiting; a new host takes over", async () => {
    const dataDir = tmpDataDir();
    const pid = bystander();
    const port = await freePort();
    writeState(dataDir, pid, port);
    const why = `names pid ${pid}, which runs but does not listen on port ${port}`;
    expect(await hostStatus(dataDir)).toMatchObject({ kind: "none", why: expect.stringContaining(why) });
    const t0 = Date.now();
    const err = await connectFromConfig(config(dataDir), { waitMs: 300, log: silentLogger }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(new RegExp(`No local DB host is running .*${why}.*podcast-mcp daemon`));
    expect(Date.now() - t0).toBeLessThan(15_000); // bounded: it used to wait for ever

    const host = spawnHost(dataDir);
    const state = await hostReady(dataDir, host);
    expect(state.pid).toBe(host.child.pid);
    const db = await connectFromConfig(config(dataDir), { waitMs: 5_000, log: silentLogger });
    open.push(db);
    expect((await db.query<[number]>("RETURN 3"))[0]).toBe(3);
  });

  it("with a port that accepts but never answers: the first connect gives up with a clear error", async () => {
    const dataDir = tmpDataDir();
    const held = new Set<Socket>();
    const silent: Server = createServer((sock) => held.add(sock));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()));
    const { port } = silent.address() as { port: number };
    try {
      writeState(dataDir, bystander(), port);
      expect((await hostStatus(dataDir)).kind).toBe("running"); // it looks like one from outside
      const host = hostLink(dataDir, silentLogger);
      const url = `ws://127.0.0.1:${port}`;
      const opts = { url, namespace: "podcast_mcp", database: "main", define: true, host, connectTimeoutMs: 1_500 };
      const err = await connect(opts).catch((e: unknown) => e);
      expect((err as Error).message).toMatch(
        /Could not connect to the local DB host \(.*db-host\.json\) within 1500 ms/,
      );
    } finally {
      for (const s of held) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});
