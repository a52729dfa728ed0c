// submit/status/cancel/requeue on the real embedded engine, without a worker.
import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/index.js";
import { AppError } from "../../src/errors.js";
import { parseJobId } from "../../src/core/ids.js";
import type { Queue } from "../../src/queue/index.js";
import { countRows, useQueueDb } from "./db.js";

let db: Db;
let queue: Queue;

useQueueDb((d, q) => {
  db = d;
  queue = q;
});

async function rejects(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("submit rejects bad input and writes nothing", () => {
  it("bad args name the field and the rule", async () => {
    const err = await rejects(queue.submit("sleep", { ms: "soon" }));
    expect(err.kind).toBe("invalid_input");
    expect(err.field).toBe("args.ms");
    expect(err.message).toMatch(/^args\.ms: .*number/i);
    const missing = await rejects(queue.submit("fail", { message: "x" }));
    expect(missing.field).toBe("args.kind");
    const outside = await rejects(queue.submit("record", { file: "../../etc/passwd" }));
    expect(outside.field).toBe("args.file");
    expect(outside.message).toContain("inside the data dir");
  });

  it("an unknown command name lists the known ones", async () => {
    const err = await rejects(queue.submit("launch_rockets", {}));
    expect(err.kind).toBe("invalid_input");
    expect(err.field).toBe("name");
    expect(err.message).toContain('unknown command "launch_rockets"');
    expect(err.message).toContain("noop");
  });

  it("bad options are refused", async () => {
    expect((await rejects(queue.submit("noop", {}, { priority: 1000 }))).field).toBe("priority");
    expect((await rejects(queue.submit("noop", {}, { maxAttempts: 0 }))).field).toBe("max_attempts");
    expect((await rejects(queue.submit("noop", {}, { idempotencyKey: "has space" }))).field).toBe("idempotency_key");
  });

  it("nothing reached the table", async () => {
    expect(await countRows(db, "command")).toBe(0);
  });
});

describe("job ids", () => {
  it.each([
    "",
    "command:",
    "episode:abc",
    "command:abc;DELETE command",
    "command:⟨x⟩",
    "command:a-b",
    `command:${"a".repeat(65)}`,
    "x command:abc",
  ])("malformed %j → invalid_input on job_id", async (raw) => {
    expect(() => parseJobId(raw)).toThrow(AppError);
    const err = await rejects(queue.status(raw));
    expect(err.kind).toBe("invalid_input");
    expect(err.field).toBe("job_id");
    expect((await rejects(queue.cancel(raw))).field).toBe("job_id");
  });

  it("a well-formed id that does not exist → not_found", async () => {
    const err = await rejects(queue.status("command:doesnotexist"));
    expect(err.kind).toBe("not_found");
    expect(err.message).toContain("command:doesnotexist");
  });
});

describe("submit and read", () => {
  it("returns a command:… id and the Open Notebook status shape", async () => {
    const { job_id, created } = await queue.submit("sleep", { ms: 5 });
    expect(created).toBe(true);
    expect(job_id).toMatch(/^command:[a-z0-9]+$/);
    const s = await queue.status(job_id);
    expect(s).toMatchObject({
      job_id,
      status: "pending",
      result: null,
      error_message: null,
      progress: null,
      name: "sleep",
      attempts: 0,
      max_attempts: 3,
      lease_until: null,
    });
    expect(Date.parse(s.created)).toBeGreaterThan(Date.now() - 60_000);
    expect(Math.abs(Date.parse(s.updated) - Date.parse(s.created))).toBeLessThan(1000);
  });

  it("an idempotency key returns the first job, also under a concurrent burst", async () => {
    const a = await queue.submit("noop", {}, { idempotencyKey: "episode-1" });
    const b = await queue.submit("noop", { other: 1 }, { idempotencyKey: "episode-1" });
    expect(b).toEqual({ job_id: a.job_id, created: false });
    const burst = await Promise.all(
      Array.from({ length: 6 }, () => queue.submit("noop", {}, { idempotencyKey: "burst-key" })),
    );
    expect(new Set(burst.map((r) => r.job_id)).size).toBe(1);
    expect(burst.filter((r) => r.created).length).toBe(1);
    const [rows] = await db.query<[unknown[]]>("SELECT id FROM command WHERE idempotency_key = 'burst-key'").collect();
    expect(rows.length).toBe(1);
  });

  it("cancel of a pending job is immediate; cancel again is harmless; requeue brings it back", async () => {
    const { job_id } = await queue.submit("sleep", { ms: 5 }, { runAfter: new Date(Date.now() + 3_600_000) });
    const c = await queue.cancel(job_id);
    expect(c.status).toBe("canceled");
    expect(c.error_message).toMatch(/canceled/);
    expect((await queue.cancel(job_id)).status).toBe("canceled");
    const r = await queue.requeue(job_id);
    expect(r).toMatchObject({ status: "pending", attempts: 0, error_message: null });
  });

  it("requeue of a pending job is a conflict", async () => {
    const { job_id } = await queue.submit("noop", {});
    const err = await rejects(queue.requeue(job_id));
    expect(err.kind).toBe("conflict");
    expect(err.message).toContain("pending");
  });
});
