// URLs as sources, fetched with node:http(s): http(s) only, no credentials in the URL, a timeout
// for the whole exchange, a byte cap enforced while streaming (a lying or missing Content-Length
// cannot make us read more, nor can a compressed body that unpacks to more), and a content-type
// check before any body is read. node:http rather than fetch because only it takes a `lookup`
// hook, which is where the private-address guard checks the address actually connected to.
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { pipeline, type Readable } from "node:stream";
import zlib from "node:zlib";
import { AppError, invalidInput } from "../errors.js";
import { EXTENSION_FORMATS, GENERIC_MIMES, MIME_FORMATS, isDocumentFormat, type Format } from "./formats.js";
import { MAX_DOCUMENT_BYTES, MAX_SOURCE_BYTES, URL_TIMEOUT_MS } from "./limits.js";
import { assertPublicLiteral, guardedLookup, type AddressPolicy, type Resolver } from "./private-hosts.js";

export interface FetchOptions {
  /** Cap on the bytes read, for every format (default: 5 MB for text and HTML, 50 MB for documents). */
  maxBytes?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Refuse loopback/private/link-local addresses: checked on the address connected to, on every hop. */
  publicHostsOnly?: boolean;
  /** With publicHostsOnly: which addresses are refused (default: address.ts). Tests narrow it. */
  addressPolicy?: AddressPolicy;
  /** With publicHostsOnly: how names are resolved (default: the system's). Tests play DNS with it. */
  resolver?: Resolver;
}

const MAX_REDIRECTS = 5;
const HEADERS = {
  accept:
    "text/html, application/xhtml+xml, text/markdown, text/plain;q=0.9, application/pdf, application/epub+zip, " +
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document, */*;q=0.1",
  "accept-encoding": "gzip, deflate, br",
  "user-agent": "podcast-mcp (source fetcher)",
};

export interface RawPage {
  url: string; // after redirects
  format: Format;
  body: Buffer;
  contentType: string;
}

export function parseSourceUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidInput("url", `must be an absolute http(s) URL (got ${JSON.stringify(String(raw).slice(0, 200))})`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw invalidInput("url", `must use http or https (got ${url.protocol.replace(/:$/, "")})`);
  if (url.username || url.password) throw invalidInput("url", "must not contain a user name or password");
  return url;
}

function get(url: URL, opts: FetchOptions, signal: AbortSignal): Promise<http.IncomingMessage> {
  const guard = opts.publicHostsOnly ? { lookup: guardedLookup(url.host, opts.addressPolicy, opts.resolver) } : {};
  if (opts.publicHostsOnly) assertPublicLiteral(url, opts.addressPolicy);
  const request = url.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    // agent: false: a fresh connection per hop, never a pooled socket that was opened unguarded.
    const req = request(url, { method: "GET", headers: HEADERS, agent: false, signal, ...guard }, resolve);
    req.once("error", reject);
    req.end();
  });
}

export async function fetchPage(raw: string, opts: FetchOptions = {}): Promise<RawPage> {
  const url = parseSourceUrl(raw);
  const timeoutMs = opts.timeoutMs ?? URL_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const where = url.host;
  let res: http.IncomingMessage | undefined;
  try {
    // Redirects are followed by hand so that every hop passes the same checks as the first URL.
    let finalUrl = url;
    for (let hop = 0; ; hop++) {
      res = await get(finalUrl, opts, signal);
      const status = res.statusCode ?? 0;
      const location = status >= 300 && status < 400 ? res.headers.location : undefined;
      if (!location) break;
      res.destroy();
      if (hop >= MAX_REDIRECTS) throw invalidInput("url", `more than ${MAX_REDIRECTS} redirects from ${where}`);
      finalUrl = parseSourceUrl(new URL(location, finalUrl).href);
    }
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      const kind = status >= 500 || status === 429 ? "provider_transient" : "invalid_input";
      const message = `url: ${finalUrl.host} answered ${status} ${res.statusMessage ?? ""}`.trim();
      throw new AppError(kind, message, { field: "url" });
    }
    const contentType = res.headers["content-type"] ?? "";
    const format = formatOf(contentType, finalUrl);
    const maxBytes = opts.maxBytes ?? (isDocumentFormat(format) ? MAX_DOCUMENT_BYTES : MAX_SOURCE_BYTES);
    const declared = Number(res.headers["content-length"] ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      throw invalidInput("url", `must be at most ${maxBytes} bytes (server says ${declared})`);
    }
    const body = await readCapped(decoded(res), maxBytes);
    return { url: finalUrl.href, format, body, contentType };
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (opts.signal?.aborted) throw new AppError("canceled", "url: fetch canceled", { field: "url", cause: err });
    if (timeout.aborted)
      throw new AppError("provider_transient", `url: ${where} did not answer within ${timeoutMs} ms`, {
        field: "url",
        cause: err,
      });
    const code = (err as NodeJS.ErrnoException).code;
    const why = code ?? (err as Error).message ?? String(err);
    throw new AppError("provider_transient", `url: cannot fetch from ${where} (${why})`, { field: "url", cause: err });
  } finally {
    res?.destroy();
  }
}

function formatOf(contentType: string, url: URL): Format {
  const mime = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  const known = MIME_FORMATS[mime];
  if (known) return known;
  const byExtension = EXTENSION_FORMATS[path.posix.extname(url.pathname).toLowerCase()];
  if (mime === "" || GENERIC_MIMES.has(mime)) {
    if (byExtension) return byExtension;
    if (mime === "") return "html";
  }
  const expected = Object.keys(MIME_FORMATS).join(", ");
  throw invalidInput("url", `content type ${mime} is not supported (expected ${expected})`);
}

/** The body as sent, unpacked when the server compressed it. */
function decoded(res: http.IncomingMessage): Readable {
  const encoding = String(res.headers["content-encoding"] ?? "identity")
    .trim()
    .toLowerCase();
  if (encoding === "identity" || encoding === "") return res;
  const unpack =
    encoding === "gzip" || encoding === "x-gzip"
      ? zlib.createGunzip()
      : encoding === "deflate"
        ? zlib.createInflate()
        : encoding === "br"
          ? zlib.createBrotliDecompress()
          : undefined;
  if (!unpack) throw invalidInput("url", `content encoding ${encoding} is not supported`);
  // pipeline, not pipe: a reset connection must end the read with an error, not leave it waiting.
  return pipeline(res, unpack, () => {});
}

async function readCapped(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw invalidInput("url", `must be at most ${maxBytes} bytes (the body was longer)`);
      chunks.push(chunk);
    }
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks);
}

/** Charset from the header, else (for HTML) from a <meta> in the first KiB, else UTF-8. */
export function decodeText(body: Buffer, contentType: string, format: Format): string {
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
