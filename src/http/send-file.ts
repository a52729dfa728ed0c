// GET/HEAD of one served file: validators (ETag, Last-Modified), conditional requests and one byte
// range, so podcast apps and browsers can seek, resume and revalidate.
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { evaluatePreconditions } from "./conditional.js";
import { decideRange } from "./ranges.js";
import type { ServedFile } from "./served-file.js";

export async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: ServedFile | undefined,
  mime: string,
): Promise<void> {
  if (!file) return void res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
  const validators = {
    etag: file.etag,
    "last-modified": file.lastModified.toUTCString(),
    // Revalidate every time: an episode's files are replaced when it is regenerated (retry --force).
    "cache-control": "no-cache",
    "accept-ranges": "bytes",
  };
  const method = req.method ?? "GET";
  const pre = evaluatePreconditions(method, req.headers, file);
  if (pre.status === 304) return void res.writeHead(304, validators).end();
  if (pre.status === 412) return void res.writeHead(412, validators).end();

  const range = pre.honourRange ? decideRange(req.headers.range, file.size) : ({ kind: "whole" } as const);
  if (range.kind === "unsatisfiable") {
    return void res.writeHead(416, { ...validators, "content-range": `bytes */${file.size}` }).end();
  }
  const headers = { ...validators, "content-type": mime };
  if (range.kind === "part") {
    res.writeHead(206, {
      ...headers,
      "content-range": `bytes ${range.start}-${range.end}/${file.size}`,
      "content-length": range.end - range.start + 1,
    });
  } else {
    res.writeHead(200, { ...headers, "content-length": file.size });
  }
  if (method === "HEAD" || file.size === 0) return void res.end();
  const body = await file.open(range.kind === "part" ? range : undefined);
  // A client that hangs up mid-file (a player seeking) ends the pipeline with an error: not ours to log.
  await pipeline(body, res).catch(() => {});
}
