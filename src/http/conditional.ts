// Conditional requests (RFC 9110 §13.2.2), in the order the RFC evaluates them, so a podcast app that
// revalidates (If-None-Match / If-Modified-Since) gets 304 without the bytes, and one that resumes a
// download (Range + If-Range) gets the rest only if the file is still the one it started.
import type { IncomingHttpHeaders } from "node:http";

export type Precondition = { status: 412 } | { status: 304 } | { status: 200; honourRange: boolean };

interface Validators {
  etag: string;
  lastModified: Date;
}

function tags(list: string): { weak: boolean; opaque: string }[] {
  return list
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => (t.startsWith("W/") ? { weak: true, opaque: t.slice(2) } : { weak: false, opaque: t }));
}

const strongMatch = (list: string, etag: string) => tags(list).some((t) => !t.weak && t.opaque === etag);
const weakMatch = (list: string, etag: string) => list.trim() === "*" || tags(list).some((t) => t.opaque === etag);
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

function httpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

export function evaluatePreconditions(
  method: string,
  h: IncomingHttpHeaders,
  v: Validators,
  now = new Date(),
): Precondition {
  const read = method === "GET" || method === "HEAD";
  const ifMatch = h["if-match"];
  if (ifMatch !== undefined) {
    if (ifMatch.trim() !== "*" && !strongMatch(ifMatch, v.etag)) return { status: 412 };
  } else {
    const since = httpDate(h["if-unmodified-since"]);
    if (since !== undefined && seconds(v.lastModified) > since) return { status: 412 };
  }
  const ifNoneMatch = h["if-none-match"];
  if (ifNoneMatch !== undefined) {
    if (weakMatch(ifNoneMatch, v.etag)) return read ? { status: 304 } : { status: 412 };
  } else if (read) {
    const since = httpDate(h["if-modified-since"]);
    if (since !== undefined && seconds(v.lastModified) <= since) return { status: 304 };
  }
  const ifRange = h["if-range"];
  // Sent twice, it names no single validator: serve the whole file.
  return { status: 200, honourRange: ifRangeHolds(Array.isArray(ifRange) ? "" : ifRange, v, now) };
}

/**
 * If-Range with an entity tag matches only strongly; with a date, only the exact Last-Modified, and
 * only when that date is a strong validator (at least a second older than now, RFC 9110 §8.8.2.2).
 */
function ifRangeHolds(value: string | undefined, v: Validators, now: Date): boolean {
  if (value === undefined) return true;
  const t = value.trim();
  if (t.startsWith('"') || t.startsWith("W/")) return t === v.etag; // one tag, compared strongly
  const date = httpDate(t);
  return date !== undefined && date === seconds(v.lastModified) && seconds(now) - date >= 1;
}
