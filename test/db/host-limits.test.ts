// Issue 8 §5: before sign-in nothing reaches the engine and little reaches the host; signed-in
// connections have a session limit, and the host a connection limit. Limits are lowered here
// (startDbHost's `limits`) so each is reached with a handful of sockets; the memory figures come
// from a separate host process with the default limits.
import { readFileSync } from "node:fs";
import { Uuid } from "surrealdb";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_HOST_LIMITS, startDbHost, type DbHost, type HostState } from "../../src/db/index.js";
import { silentLogger } from "../../src/log.js";
import { stopAll, tmpDataDir, waitFor } from "../helpers/procs.js";
import { hostReady, spawnHost, stopHosts } from "./host-proc.js";
import { rawClient, type RawClient } from "./rpc-client.js";

const LIMITS = { maxConnections: 6, maxUnauthenticated: 3, preAuthRequests: 8, signinTimeoutMs: 1_500, maxSessions: 3 };
let host: DbHost;
const clients: RawClient[] = [];

async function client(): Promise<RawClient> {
  const c = await rawClient(host.url);
  clients.push(c);
  return c;
}

async function signedIn(): Promise<RawClient> {
  const c = await client();
  expect(await c.call("signin", [{ user: "root", pass: host.secret }])).toMatchObject({ result: expect.any(String) });
  return c;
}

beforeAll(async () => {
  host = await startDbHost({ dataDir: tmpDataDir(), log: silentLogger, limits: LIMITS });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  // the host forgets a connection once its cleanup ran: wait until a full set is allowed again
  await waitFor(
    async () => {
      const probe = await Promise.all(
        Array.from({ length: LIMITS.maxUnauthenticated }, () => rawClient(host.url).catch(() => undefined)),
      );
      for (const p of probe) p?.ws.terminate();
      return probe.every(Boolean);
    },
    10_000,
    100,
  );
});
afterAll(async () => {
  await host?.stop();
  await stopHosts();
  await stopAll();
});

describe("before sign-in", () => {
  it("answers ping and version, refuses attach, query and the rest, and keeps use/let for after sign-in", async () => {
    const c = await client();
    expect(await c.call("ping")).toEqual({ id: expect.any(String), result: null });
    expect(await c.call("version")).toMatchObject({ result: expect.stringMatching(/^surrealdb-/) });
    for (const [method, params, extra] of [
      ["attach", undefined, { session: Uuid.v4() }],
      ["query", ["RETURN 1"]],
      ["health"],
      ["select", ["note"]],
      ["use", ["podcast_mcp", "main"], { session: Uuid.v4() }],
    ] as Array<[string, unknown[] | undefined, Record<string, unknown> | undefined]>) {
      expect((await c.call(method, params, extra)).error?.message, method).toMatch(/Not signed in/);
    }
    expect(await c.call("let", ["who", "early"])).toMatchObject({ result: null });
    expect(await c.call("signin", [{ user: "root", pass: host.secret }])).toMatchObject({ result: expect.any(String) });
    const answer = await c.call("query", ["RETURN $who"]);
    expect(answer.result).toMatchObject([{ status: "OK", result: "early" }]);
  });

  it("refuses a wrong secret and keeps refusing queries", async () => {
    const c = await client();
    expect((await c.call("signin", [{ user: "root", pass: "wrong" }])).error?.message).toMatch(/authentication/);
    expect((await c.call("query", ["RETURN 1"])).error?.message).toMatch(/Not signed in/);
  });

  it(`answers at most ${LIMITS.preAuthRequests} requests, then only sign-in`, async () => {
    const c = await client();
    for (let i = 0; i < LIMITS.preAuthRequests; i++) expect(await c.call("ping")).toMatchObject({ result: null });
    expect((await c.call("ping")).error?.message).toMatch(/Too many requests before sign-in: at most 8/);
    expect((await c.call("let", ["x", 1])).error?.message).toMatch(/Too many requests before sign-in/);
    expect(await c.call("signin", [{ user: "root", pass: host.secret }])).toMatchObject({ result: expect.any(String) });
    expect(await c.call("ping")).toMatchObject({ result: null });
  });

  const kib = DEFAULT_HOST_LIMITS.preAuthBytes / 1024;
  it(`cuts off a connection that sends more than ${kib} KiB; a signed-in one may send 1 MiB`, async () => {
    const c = await client();
    c.ws.send(new Uint8Array(256 * 1024)); // one 256 KiB message, never decoded
    const { code } = await c.closed;
    expect([1006, 1009]).toContain(code);

    const s = await signedIn();
    const big = "x".repeat(1024 * 1024);
    expect((await s.call("query", ["RETURN string::len($v)", { v: big }])).result).toMatchObject([
      { status: "OK", result: big.length },
    ]);
  });

  it("closes a connection that does not sign in in time", async () => {
    const c = await client();
    expect(await c.closed).toEqual({ code: 1008, reason: `no sign-in within ${LIMITS.signinTimeoutMs} ms` });
    const s = await signedIn();
    await new Promise((r) => setTimeout(r, LIMITS.signinTimeoutMs + 500));
    expect(s.ws.readyState).toBe(s.ws.OPEN);
  });
});

describe("limits", () => {
  it(`gives one connection at most ${LIMITS.maxSessions} sessions, its own included`, async () => {
    const c = await signedIn();
    const [s1, s2, s3] = [Uuid.v4(), Uuid.v4(), Uuid.v4()];
    expect(await c.call("attach", undefined, { session: s1 })).toMatchObject({ result: null });
    expect(await c.call("attach", undefined, { session: s2 })).toMatchObject({ result: null });
    expect((await c.call("attach", undefined, { session: s3 })).error?.message).toMatch(
      /Too many sessions on one connection: at most 3/,
    );
    expect(await c.call("detach", undefined, { session: s1 })).toMatchObject({ result: null });
    expect(await c.call("attach", undefined, { session: s3 })).toMatchObject({ result: null });
  });

  const { maxUnauthenticated, maxConnections } = LIMITS;
  it(`takes at most ${maxUnauthenticated} connections waiting to sign in and ${maxConnections} in all`, async () => {
    const waiting = await Promise.all(Array.from({ length: LIMITS.maxUnauthenticated }, () => client()));
    await expect(rawClient(host.url)).rejects.toThrow(/503/);
    for (const c of waiting)
      expect(await c.call("signin", [{ user: "root", pass: host.secret }])).toMatchObject({
        result: expect.any(String),
      });
    for (let i = LIMITS.maxUnauthenticated; i < LIMITS.maxConnections; i++) await client();
    await expect(rawClient(host.url)).rejects.toThrow(/503/);
    clients.pop()!.ws.terminate();
    await waitFor(() => rawClient(host.url).then((c) => clients.push(c)), 5_000, 50);
  });
});

/** Peak and current resident memory of a process, in MB (Linux). */
function memory(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { peak: kb("VmHWM") / 1024, now: kb("VmRSS") / 1024 };
}

describe.runIf(process.platform === "linux")("memory, with the default limits", () => {
  let state: HostState;
  let pid: number;
  beforeAll(async () => {
    const dataDir = tmpDataDir();
    const proc = spawnHost(dataDir);
    state = await hostReady(dataDir, proc);
    pid = proc.child.pid!;
  });

  it("8 × 60 MB before sign-in and 1,000 attaches cost the host little (was a 2.1 GB peak)", async () => {
    const before = memory(pid);
    const big = new Uint8Array(60 * 1024 * 1024);
    const sockets = await Promise.all(Array.from({ length: 8 }, () => rawClient(state.url)));
    for (const s of sockets) s.ws.send(big);
    const codes = await Promise.all(sockets.map((s) => s.closed.then((c) => c.code)));
    // cut off by the byte budget (1009, or 1006 as seen by a sender still writing), or by the deadline
    // when the machine is so busy that the 60 MB did not arrive within it (1008)
    for (const code of codes) expect([1006, 1008, 1009]).toContain(code);

    const c = await rawClient(state.url);
    const answers = await Promise.all(
      Array.from({ length: 1_000 }, () => c.call("attach", undefined, { session: Uuid.v4() })),
    );
    expect(answers.every((a) => a.error !== undefined)).toBe(true);
    c.ws.terminate();

    const after = memory(pid);
    console.log(
      `db host memory: peak ${before.peak.toFixed(0)} → ${after.peak.toFixed(0)} MB, ` +
        `now ${before.now.toFixed(0)} → ${after.now.toFixed(0)} MB`,
    );
    expect(after.peak - before.peak).toBeLessThan(200);
    // and it still serves
    const ok = await rawClient(state.url);
    expect(await ok.call("signin", [{ user: "root", pass: state.secret }])).toMatchObject({
      result: expect.any(String),
    });
    ok.ws.terminate();
  });
});
