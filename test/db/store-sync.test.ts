// What the DB host acknowledges is on the operating system's side of the process: killing the host
// with SIGKILL right after a burst of acknowledged writes loses none of them. This is why the store
// keeps RocksDB's default of syncing its write-ahead log at every commit (src/db/host.ts): with
// the engine's `?sync=<interval>` (background sync), writes were ~40 % cheaper, but the log stays
// in the process until the next sync, and this test lost acknowledged jobs with `?sync=60s`.
import { afterAll, describe, expect, it } from "vitest";
import { readHostState } from "../../src/db/index.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import { connectClient, startHost, stopHost } from "../worker/cluster.js";

afterAll(async () => {
  await stopAll();
});

describe("store durability", () => {
  it("acknowledged jobs survive a SIGKILL of the DB host", async () => {
    const dir = tmpDataDir();
    let host = startHost(dir);
    const client = await connectClient(dir);
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push((await client.queue.submit("noop", {})).job_id);
    const killed = (await readHostState(dir))?.pid;
    await stopHost(host, "SIGKILL");
    await client.close();
    host = startHost(dir);
    const again = await connectClient(dir);
    expect((await readHostState(dir))?.pid).not.toBe(killed);
    const statuses = await Promise.all(ids.map((id) => again.queue.status(id)));
    expect(statuses.map((s) => s.status)).toEqual(ids.map(() => "pending"));
    await again.close();
    await stopHost(host);
  });
});
