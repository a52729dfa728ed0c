// URLs as sources, fetched with the built-in fetch: http(s) only, no credentials in the URL, a
// timeout for the whole exchange, a byte cap enforced while streaming (a lying or missing
// Content-Length cannot make us read more), and a content-type check before any body is read.
import { AppError, invalidInput } from "../../errors.js";
import type { TextFormat } from "./file.js";
import { MAX_SOURCE_BYTES, URL_TIMEOUT_MS } from "./limits.js";
import { assertPublicHost } from "./private-hosts.js";

export interface FetchOptions {
  maxBytes?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Refuse hosts that resolve to loopback/private/link-local addresses, on every redirect hop. */
  publicHostsOnly?: boolean;
}

const MAX_REDIRECTS = 5;
const HEADERS = { accept: "text/html, application/xhtml+xml, text/markdown, text/plain;q=0.9, */*;q=0.1", "user-agent": "podcast-mcp (source fetcher)" };

export interface RawPage {
  url: string; // after redirects
  format: TextFormat;
  text: string;
  bytes: number;
}

const TYPES: Record<string, TextFormat> = {
  "text/html": "html",
  "application/xhtml+xml": "html",
  "text/plain": "text",
  "text/markdown": "markdown",
  "text/x-markdown": "markdown",
};

export function parseSourceUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidInput("url", `must be an absolute http(s) URL (got ${JSON.stringify(String(raw).slice(0, 200))})`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw invalidInput("url", `must use http or https (got ${url.protocol.replace(/:$/, "")})`);
  if (url.username || url.password) throw invalidInput("url", "must not contain a user name or password");
  return url;
}

export async function fetchPage(raw: string, opts: FetchOptions = {}): Promise<RawPage> {
  const url = parseSourceUrl(raw);
  const maxBytes = opts.maxBytes ?? MAX_SOURCE_BYTES;
  const timeoutMs = opts.timeoutMs ?? URL_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const where = url.host;
  try {
    // Redirects are followed by hand so that every hop passes the same checks as the first URL.
    let finalUrl = url;
    let res: Response;
    for (let hop = 0; ; hop++) {
      if (opts.publicHostsOnly) await assertPublicHost(finalUrl);
      res = await fetch(finalUrl, { signal, redirect: "manual", headers: HEADERS });
      const location = res.status >= 300 && res.status < 400 ? res.headers.get("location") : null;
      if (!location) break;
      await res.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw invalidInput("url", `more than ${MAX_REDIRECTS} redirects from ${where}`);
      finalUrl = parseSourceUrl(new URL(location, finalUrl).href);
    }
    if (!res.ok) {
      await res.body?.cancel();
      const kind = res.status >= 500 || res.status === 429 ? "provider_transient" : "invalid_input";
      throw new AppError(kind, `url: ${finalUrl.host} answered ${res.status} ${res.statusText}`.trim(), { field: "url" });
    }
    const contentType = res.headers.get("content-type") ?? "";
    const mime = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
    const format = TYPES[mime] ?? (mime === "" ? "html" : undefined);
    if (!format) {
      await res.body?.cancel();
      throw invalidInput("url", `content type ${mime} is not supported (expected ${Object.keys(TYPES).join(", ")})`);
    }
    const declared = Number(res.headers.get("content-length") ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      await res.body?.cancel();
      throw invalidInput("url", `must be at most ${maxBytes} bytes (server says ${declared})`);
    }
    const body = await readCapped(res, maxBytes);
    return { url: finalUrl.href, format, text: decode(body, contentType, format), bytes: body.length };
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (opts.signal?.aborted) throw new AppError("canceled", "url: fetch canceled", { field: "url", cause: err });
    if (timeout.aborted) throw new AppError("provider_transient", `url: ${where} did not answer within ${timeoutMs} ms`, { field: "url", cause: err });
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new AppError("provider_transient", `url: cannot fetch from ${where} (${cause?.code ?? cause?.message ?? String(err)})`, { field: "url", cause: err });
  }
}

async function readCapped(res: Response, maxBytes: number): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw invalidInput("url", `must be at most ${maxBytes} bytes (the body was longer)`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Charset from the header, else (for HTML) from a <meta> in the first KiB, else UTF-8. */
function decode(body: Buffer, contentType: string, format: TextFormat): string {
  let charset = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1];
  if (!charset && format === "html") {
    charset = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(body.subarray(0, 1024).toString("latin1"))?.[1];
  }
  try {
    return new TextDecoder(charset ?? "utf-8").decode(body);
  } catch {
    return new TextDecoder("utf-8").decode(body); // unknown label: UTF-8 is the best guess
  }
}
