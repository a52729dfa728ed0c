// The local DB host as other processes see it: a child process serving the embedded engine,
// clients on the stock SDK (connectFromConfig), sessions, live queries, auth, restarts.
import { existsSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { Table, type Uuid } from "surrealdb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { AppError } from "../../src/errors.js";
import { connect, connectFromConfig, readHostState, type Db, type HostState } from "../../src/db/index.js";
import { stopAll, tmpDataDir, waitFor } from "../helpers/procs.js";
import { hostReady, spawnHost, stopHosts, type HostProc } from "./host-proc.js";
import { CborCodec } from "surrealdb";
import WebSocket from "ws";

/** A bare WebSocket client, signed in, that records every message it is sent after that. */
async function rawClient(state: HostState): Promise<{ ws: WebSocket; messages: unknown[] }> {
  const ws = new WebSocket(`${state.url}/rpc`, "cbor");
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  const replies: unknown[] = [];
  ws.on("message", (data: Buffer) => replies.push(CborCodec.DEFAULT.decode(new Uint8Array(data))));
  ws.send(CborCodec.DEFAULT.encode({ id: "1", method: "signin", params: [{ user: "root", pass: state.secret }] }));
  await waitFor(() => replies.length >= 1, 5000);
  expect(replies[0]).toMatchObject({ id: "1", result: expect.any(String) });
  replies.length = 0;
  return { ws, messages: replies };
}

const open: Db[] = [];
async function client(dataDir: string): Promise<Db> {
  const db = await connectFromConfig(loadConfig({ PODCAST_MCP_DATA_DIR: dataDir }), { waitMs: 10_000 });
  open.push(db);
  return db;
}

afterAll(async () => {
  await Promise.all(open.map((db) => db.close().catch(() => undefined)));
  await stopHosts();
  await stopAll();
});

describe("local DB host", () => {
  let dataDir: string;
  let host: HostProc;
  let state: HostState;
  let a: Db;
  let b: Db;

  beforeAll(async () => {
    dataDir = tmpDataDir();
    host = spawnHost(dataDir);
    state = await hostReady(dataDir, host);
    [a, b] = await Promise.all([client(dataDir), client(dataDir)]);
    await a.query("DEFINE TABLE IF NOT EXISTS note SCHEMALESS; DEFINE TABLE IF NOT EXISTS ping SCHEMALESS;");
  });

  it("writes a 0600 state file with a loopback url and a secret", () => {
    expect(statSync(path.join(dataDir, "db-host.json")).mode & 0o777).toBe(0o600);
    expect(state.url).toBe(`ws://127.0.0.1:${state.port}`);
    expect(state.pid).toBe(host.child.pid);
    expect(state.secret.length).toBeGreaterThanOrEqual(32);
  });

  it("serves CRUD to two clients on one store", async () => {
    await a.query("CREATE note:one SET text = 'from a'");
    const [rows] = await b.query<[Array<{ text: string }>]>("SELECT text FROM note:one");
    expect(rows).toEqual([{ text: "from a" }]);
    await b.query("UPDATE note:one SET text = 'from b'");
    const [again] = await a.query<[Array<{ text: string }>]>("SELECT text FROM note:one");
    expect(again[0]!.text).toBe("from b");
  });

  it("gives each connection its own session: variables and database do not leak", async () => {
    await a.set("who", "alice");
    const [onA] = await a.query<[string]>("RETURN $who");
    const [onB] = await b.query<[unknown]>("RETURN $who");
    expect(onA).toBe("alice");
    expect(onB).toBeUndefined();

    const c = await client(dataDir);
    await c.query("DEFINE DATABASE IF NOT EXISTS other");
    await c.use({ namespace: "podcast_mcp", database: "other" });
    const [[dbC], [dbA]] = await Promise.all([
      c.query<[string]>("RETURN session::db()"),
      a.query<[string]>("RETURN session::db()"),
    ]);
    expect(dbC).toBe("other");
    expect(dbA).toBe("main");
  });

  it("serves sessions the SDK creates (newSession) to their connection only, and transactions", async () => {
    const s = await a.newSession();
    await s.use({ namespace: "podcast_mcp", database: "main" });
    await s.set("mine", 7);
    const [[inS], [inA]] = await Promise.all([s.query<[number]>("RETURN $mine"), a.query<[unknown]>("RETURN $mine")]);
    expect(inS).toBe(7);
    expect(inA).toBeUndefined();
    // another connection cannot use the session by its id
    const sessionId = s.session;
    expect(sessionId).toBeDefined();
    const [engineSessionId] = await s.query<[Uuid]>("RETURN session::id()");
    expect(String(engineSessionId)).toBe(String(sessionId)); // the SDK's own uuid reached the engine
    const raw = await rawClient(state);
    raw.ws.send(CborCodec.DEFAULT.encode({ id: "2", method: "query", params: ["RETURN $mine"], session: sessionId }));
    await waitFor(() => raw.messages.length >= 1, 5000);
    expect(raw.messages[0]).toMatchObject({ id: "2", error: { message: expect.stringMatching(/Session not found/) } });
    raw.ws.close();

    const tx = await s.beginTransaction();
    await tx.query("CREATE note:tx SET text = 'in a transaction'");
    await tx.cancel();
    const [none] = await b.query<[unknown[]]>("SELECT * FROM note:tx");
    expect(none).toEqual([]);
    const tx2 = await s.beginTransaction();
    await tx2.query("CREATE note:tx SET text = 'committed'");
    await tx2.commit();
    const [one] = await b.query<[Array<{ text: string }>]>("SELECT text FROM note:tx");
    expect(one).toEqual([{ text: "committed" }]);
    await s.closeSession();
  });

  it("delivers a live query's notifications to its own connection only", async () => {
    const seenA: string[] = [];
    const seenB: string[] = [];
    const subA = await a.live(new Table("ping"));
    subA.subscribe((m) => seenA.push(m.action));
    // B's own live query, on another table: it must not receive A's events
    const subB = await b.live(new Table("note"));
    subB.subscribe((m) => seenB.push(`${m.action}`));
    await b.query("CREATE ping:1 SET n = 1");
    await waitFor(() => seenA.length >= 1, 5000);
    await new Promise((r) => setTimeout(r, 200));
    expect(seenA).toEqual(["CREATE"]);
    expect(seenB).toEqual([]);
    await subA.kill();
    await subB.kill();
  });

  it("stops a closed connection's live queries", async () => {
    const c = await client(dataDir);
    const [liveId] = await c.query<[Uuid]>("LIVE SELECT * FROM ping");
    // The engine lists a table's running live queries in INFO FOR TABLE.
    const lives = async () =>
      Object.keys((await a.query<[{ lives?: Record<string, unknown> }]>("INFO FOR TABLE ping"))[0].lives ?? {});
    expect(await lives()).toContain(liveId.toString());
    await c.close();
    await waitFor(async () => !(await lives()).includes(liveId.toString()), 5000);
  });

  it("sends nothing to a connection that owns no live query (no broadcast)", async () => {
    const raw = await rawClient(state);
    const subA = await a.live(new Table("ping"));
    let seenA = 0;
    subA.subscribe(() => seenA++);
    await b.query("CREATE ping:2 SET n = 2");
    await waitFor(() => seenA >= 1, 5000);
    await new Promise((r) => setTimeout(r, 200));
    expect(raw.messages).toEqual([]);
    await subA.kill();
    raw.ws.close();
  });

  it("refuses a browser (any Origin header)", async () => {
    const ws = new WebSocket(`${state.url}/rpc`, "cbor", { origin: "http://example.org" });
    const outcome = await new Promise<string>((resolve) => {
      ws.once("open", () => resolve("open"));
      ws.once("error", (e) => resolve(e.message));
    });
    expect(outcome).toMatch(/401|403|Unexpected server response/);
  });

  it("refuses a client without the secret or with a wrong one", async () => {
    const anon = await connect({ url: state.url, namespace: "podcast_mcp", database: "main" });
    open.push(anon);
    await expect(anon.query("SELECT * FROM note")).rejects.toThrow(/Not signed in/);
    await expect(
      connect({ url: state.url, namespace: "podcast_mcp", database: "main", user: "root", password: "wrong" }),
    ).rejects.toThrow(/authentication/i);
  });

  it("refuses a second host on the same data dir while the first is alive", async () => {
    const second = spawnHost(dataDir);
    expect(await second.exited).toBe(3);
    expect(second.stderr()).toMatch(/already runs/);
    expect((await readHostState(dataDir))?.pid).toBe(host.child.pid);
  });

  it("after SIGKILL and a restart on the same dir, existing clients reconnect and see old data", async () => {
    await a.query("CREATE note:before_kill SET text = 'durable'");
    const seen: string[] = [];
    const sub = await a.live(new Table("ping"));
    sub.subscribe((m) => seen.push(String(m.recordId)));
    host.child.kill("SIGKILL");
    await host.exited;
    host = spawnHost(dataDir);
    const restarted = await hostReady(dataDir, host);
    expect(restarted.port).toBe(state.port); // re-bound the old port
    // a new secret: whoever read the crashed host's file cannot sign in; clients re-read it
    expect(restarted.secret).not.toBe(state.secret);
    for (const db of [a, b]) {
      const [rows] = await waitFor(
        () => db.query<[Array<{ text: string }>]>("SELECT text FROM note:before_kill"),
        20_000,
        100,
      );
      expect(rows).toEqual([{ text: "durable" }]);
    }
    // the restored session still has its variable and its database
    const [who] = await a.query<[string]>("RETURN $who");
    expect(who).toBe("alice");
    // the SDK restarts its managed live query on the new host, and the host routes it to A again
    await waitFor(
      async () => {
        await b.query("UPSERT ping:after_restart SET n = time::now()");
        return seen.includes("ping:after_restart");
      },
      10_000,
      200,
    );
    await sub.kill();
  });

  it("clients follow the host to a new port when its old port is taken", async () => {
    host.child.kill("SIGKILL");
    await host.exited;
    // Someone else grabs the old port while the host is down.
    const held = new Set<import("node:net").Socket>();
    const squatter = createServer((sock) => held.add(sock));
    await new Promise<void>((resolve) => squatter.listen(state.port, "127.0.0.1", resolve));
    try {
      host = spawnHost(dataDir);
      const moved = await hostReady(dataDir, host);
      expect(moved.port).not.toBe(state.port);
      for (const db of [a, b]) {
        const [rows] = await waitFor(
          () => db.query<[Array<{ text: string }>]>("SELECT text FROM note:before_kill"),
          20_000,
          100,
        );
        expect(rows).toEqual([{ text: "durable" }]);
      }
    } finally {
      for (const sock of held) sock.destroy();
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});

describe("host state", () => {
  it("a stale state file from a dead process is taken over, with a new secret", async () => {
    const dataDir = tmpDataDir();
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    const stale: HostState = {
      port: 1,
      pid: dead,
      secret: "stale-secret-stale-secret-stale-secret",
      url: "ws://127.0.0.1:1",
      started: new Date(0).toISOString(),
    };
    await writeFile(path.join(dataDir, "db-host.json"), JSON.stringify(stale), { mode: 0o600 });
    expect(await readHostState(dataDir)).toBeUndefined();
    const host = spawnHost(dataDir);
    const state = await hostReady(dataDir, host);
    expect(state.secret).not.toBe(stale.secret);
    const db = await client(dataDir);
    const [n] = await db.query<[number]>("RETURN 1 + 1");
    expect(n).toBe(2);
  });

  it("refuses to start while another process holds the store, even with no state file", async () => {
    const dataDir = tmpDataDir();
    const holder = await connect({ url: `rocksdb://${path.join(dataDir, "db")}`, namespace: "t", database: "t" });
    try {
      const host = spawnHost(dataDir);
      expect(await host.exited).toBe(3);
      // names the process that holds the lock (Linux /proc/locks) and the missing state file
      const named = new RegExp(`in use by process ${process.pid}\\b.*db-host\\.json is missing`);
      expect(host.stderr()).toMatch(process.platform === "linux" ? named : /in use by/);
      expect(await readHostState(dataDir)).toBeUndefined();
    } finally {
      await holder.close();
    }
  });

  it("stops on SIGTERM, even with a client connected, and removes its state file", async () => {
    const dataDir = tmpDataDir();
    const host = spawnHost(dataDir);
    await hostReady(dataDir, host);
    const db = await client(dataDir);
    await db.query("DEFINE TABLE IF NOT EXISTS ping SCHEMALESS");
    await db.live(new Table("ping"));
    host.child.kill("SIGTERM");
    expect(await host.exited).toBe(0);
    expect(existsSync(path.join(dataDir, "db-host.json"))).toBe(false);
  });

  it("connectFromConfig says how to start a host when none runs", async () => {
    const err = await connectFromConfig(loadConfig({ PODCAST_MCP_DATA_DIR: tmpDataDir() }), { waitMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/No local DB host is running .*podcast-mcp daemon.*SURREAL_URL/);
  });
});
