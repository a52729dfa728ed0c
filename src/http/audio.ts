// GET /episodes/<id>/audio.mp3 with byte ranges, so podcast apps and browsers can seek.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";

export async function serveFile(req: IncomingMessage, res: ServerResponse, file: string, mime: string): Promise<void> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    return;
  }
  const headers: Record<string, string | number> = { "content-type": mime, "accept-ranges": "bytes", "cache-control": "no-cache" };
  const range = req.headers.range;
  if (!range) {
    res.writeHead(200, { ...headers, "content-length": size });
    if (req.method === "HEAD") return void res.end();
    createReadStream(file).pipe(res);
    return;
  }
  const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  let start = m && m[1] !== "" ? Number(m[1]) : NaN;
  let end = m && m[2] !== "" ? Number(m[2]) : size - 1;
  if (m && m[1] === "" && m[2] !== "") {
    // suffix range: the last N bytes
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  }
  if (!m || Number.isNaN(start) || start > end || start >= size) {
    res.writeHead(416, { "content-range": `bytes */${size}` }).end();
    return;
  }
  end = Math.min(end, size - 1);
  res.writeHead(206, { ...headers, "content-range": `bytes ${start}-${end}/${size}`, "content-length": end - start + 1 });
  if (req.method === "HEAD") return void res.end();
  createReadStream(file, { start, end }).pipe(res);
}
