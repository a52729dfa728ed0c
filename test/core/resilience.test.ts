// Retries, Retry-After, timeouts and the limiter on their own, with real timers (short ones).
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.js";
import { backoffMs } from "../../src/core/resilience/backoff.js";
import { createLimiter } from "../../src/core/resilience/limiter.js";
import { retryAfterMs, withRetries } from "../../src/core/resilience/retry.js";
import { sleep } from "../../src/core/resilience/sleep.js";
import { withTimeout } from "../../src/core/resilience/timeout.js";

const live = () => new AbortController().signal;
const headers = (h: Record<string, string>) => (name: string) => h[name];

describe("retryAfterMs", () => {
  it("reads seconds, HTTP-dates and OpenAI's retry-after-ms", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs(headers({ "retry-after": "2" }), now)).toBe(2000);
    expect(retryAfterMs(headers({ "retry-after": "0.5" }), now)).toBe(500);
    expect(retryAfterMs(headers({ "retry-after": "Thu, 01 Jan 2026 00:00:03 GMT" }), now)).toBe(3000);
    expect(retryAfterMs(headers({ "retry-after-ms": "250", "retry-after": "9" }), now)).toBe(250);
    expect(retryAfterMs(headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(retryAfterMs(headers({}), now)).toBeUndefined();
  });
});

describe("withRetries", () => {
  it("retries transient failures with growing, jittered delays and stops at the attempt limit", async () => {
    const delays: number[] = [];
    let calls = 0;
    const err = await withRetries(
      async () => {
        calls++;
        throw new AppError("provider_transient", "busy");
      },
      {
        attempts: 3,
        baseDelayMs: 20,
        maxDelayMs: 1000,
        signal: live(),
        onRetry: ({ delayMs }) => delays.push(delayMs),
      },
    ).catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect(err).toMatchObject({ kind: "provider_transient" });
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(10);
    expect(delays[0]).toBeLessThanOrEqual(20);
    expect(delays[1]).toBeGreaterThanOrEqual(20);
    expect(delays[1]).toBeLessThanOrEqual(40);
    for (let i = 1; i < 12; i++) expect(backoffMs(i, 100, 800)).toBeLessThanOrEqual(800);
  });

  it("waits at least the Retry-After the provider asked for", async () => {
    let calls = 0;
    const started = Date.now();
    const out = await withRetries(
      async () => {
        if (++calls === 1) throw new AppError("provider_transient", "slow down", { retryAfterMs: 300 });
        return "ok";
      },
      { attempts: 3, baseDelayMs: 10, maxDelayMs: 50, signal: live() },
    );
    expect(out).toBe("ok");
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it("does not retry permanent errors, nor sit out a Retry-After beyond the cap", async () => {
    let calls = 0;
    await expect(
      withRetries(async () => (calls++, Promise.reject(new AppError("provider_auth", "no"))), {
        attempts: 5,
        baseDelayMs: 1,
        maxDelayMs: 1,
        signal: live(),
      }),
    ).rejects.toMatchObject({ kind: "provider_auth" });
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      withRetries(
        async () => (calls++, Promise.reject(new AppError("provider_transient", "later", { retryAfterMs: 120_000 }))),
        {
          attempts: 5,
          baseDelayMs: 1,
          maxDelayMs: 1,
          maxRetryAfterMs: 60_000,
          signal: live(),
        },
      ),
    ).rejects.toMatchObject({ kind: "provider_transient", retryAfterMs: 120_000 });
    expect(calls).toBe(1);
  });

  it("an abort during the backoff sleep ends at once with canceled", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    const started = Date.now();
    await expect(
      withRetries(async () => Promise.reject(new AppError("provider_transient", "x", { retryAfterMs: 5000 })), {
        attempts: 3,
        baseDelayMs: 1,
        maxDelayMs: 1,
        signal: ac.signal,
      }),
    ).rejects.toMatchObject({ kind: "canceled" });
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(sleep(10, AbortSignal.abort())).rejects.toMatchObject({ kind: "canceled" });
  });
});

describe("withTimeout", () => {
  it("turns a hang into provider_transient, and the caller's abort into canceled", async () => {
    const hang = () => new Promise<never>(() => {}); // ignores its signal on purpose
    await expect(withTimeout(hang, 50, live(), "speech request")).rejects.toMatchObject({
      kind: "provider_transient",
      message: expect.stringContaining("timed out after 50 ms"),
    });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    await expect(withTimeout(hang, 5000, ac.signal, "speech request")).rejects.toMatchObject({ kind: "canceled" });
    await expect(withTimeout(async (s) => (s.aborted ? "aborted" : "fine"), 1000, live(), "x")).resolves.toBe("fine");
  });
});

describe("createLimiter", () => {
  it("never runs more than n at once, and a waiter that is aborted leaves the queue", async () => {
    const limiter = createLimiter(3);
    let active = 0;
    let max = 0;
    const task = async () => {
      active++;
      max = Math.max(max, active);
      await sleep(15);
      active--;
      return 1;
    };
    const results = await Promise.all(Array.from({ length: 10 }, () => limiter.run(task)));
    expect(results).toHaveLength(10);
    expect(max).toBe(3);

    const one = createLimiter(1);
    const blocker = one.run(() => sleep(100));
    const ac = new AbortController();
    const waiting = one.run(async () => "should not run", ac.signal);
    expect(one.waiting).toBe(1);
    ac.abort();
    await expect(waiting).rejects.toMatchObject({ kind: "canceled" });
    expect(one.waiting).toBe(0);
    await blocker;
    expect(one.active).toBe(0);
    expect(() => createLimiter(0)).toThrow(/concurrency/);
  });
});
