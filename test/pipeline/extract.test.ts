// Sources → text: pasted text, Markdown, local files and URLs served by a loopback HTTP server.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.js";
import { extractText, MAX_CONTENT_CHARS } from "../../src/sources/index.js";
import { isPrivateAddress } from "../../src/sources/private-hosts.js";
import { startFakeServer, type FakeServer } from "../fakes/server.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const ARTICLE =
  "<html><head><title>Lighthouses</title><script>track()</script></head><body><nav>Menu</nav><main><h1>Lighthouses</h1><p>A light on a rock saves ships.</p></main></body></html>";

let server: FakeServer;
let dir: string;

beforeAll(async () => {
  dir = tmpDataDir("podcast-mcp-extract-");
  server = await startFakeServer((req, _body, res) => {
    const url = req.url ?? "";
    if (url === "/article") res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(ARTICLE);
    else if (url === "/latin1")
      res
        .writeHead(200, { "content-type": "text/plain; charset=iso-8859-1" })
        .end(Buffer.from([0x63, 0x61, 0x66, 0xe9])); // "café"
    else if (url === "/notes.md")
      res.writeHead(200, { "content-type": "text/markdown" }).end("# Notes\n\nSome **bold** words.");
    else if (url === "/redirect") res.writeHead(302, { location: "/article" }).end();
    else if (url === "/to-file") res.writeHead(301, { location: "file:///etc/passwd" }).end();
    else if (url.startsWith("/loop")) res.writeHead(302, { location: `/loop${url.length}` }).end();
    else if (url === "/png") res.writeHead(200, { "content-type": "image/png" }).end("\x89PNG");
    else if (url === "/big") {
      // No Content-Length: the cap must hold while streaming.
      res.writeHead(200, { "content-type": "text/plain", "transfer-encoding": "chunked" });
      const chunk = "x".repeat(64 * 1024);
      for (let i = 0; i < 40; i++) res.write(chunk);
      res.end();
    } else if (url === "/slow")
      setTimeout(() => res.writeHead(200, { "content-type": "text/plain" }).end("late"), 2_000);
    else if (url === "/gone") res.writeHead(404).end("nope");
    else if (url === "/down") res.writeHead(503).end("busy");
    else return false;
    return true;
  });
});

afterAll(async () => {
  await server.close();
  await stopAll();
});

describe("extractText: pasted text and markdown", () => {
  it("normalises text and takes its first line as the title", async () => {
    const r = await extractText({ kind: "text", text: "  Title line \r\n\r\n\r\n\r\nBody\u0007 text\t here  " });
    expect(r.text).toBe("Title line\n\nBody text here");
    expect(r.title).toBe("Title line");
  });
  it("strips markdown", async () => {
    const r = await extractText({ kind: "markdown", text: "# Head\n\nA [link](http://x.org) and `code`." });
    expect(r.text).toBe("# Head\n\nA link and code."); // headings stay as structure for the writers
  });
  it("empty and oversized text are refused with the field and the rule", async () => {
    const empty = await failure(extractText({ kind: "text", text: " \n\t " }));
    expect(empty.kind).toBe("invalid_input");
    expect(empty.message).toBe("text: has no readable text");
    const big = await failure(extractText({ kind: "text", text: "word ".repeat(50_000) }));
    expect(big.kind).toBe("invalid_input");
    expect(big.message).toMatch(new RegExp(`^text: must be at most ${MAX_CONTENT_CHARS} characters`));
  });
  it("an unknown kind is refused", async () => {
    const err = await failure(extractText({ kind: "pdf" } as never));
    expect(err.message).toBe('kind: must be one of text, markdown, file, url (got "pdf")');
  });
});

describe("extractText: files", () => {
  it("reads .txt, .md and .html", async () => {
    writeFileSync(path.join(dir, "a.txt"), "Plain words.\n");
    writeFileSync(path.join(dir, "b.md"), "# Markdown Title\n\n*Soft* words.");
    writeFileSync(path.join(dir, "c.html"), ARTICLE);
    expect(await extractText({ kind: "file", path: path.join(dir, "a.txt") })).toMatchObject({
      text: "Plain words.",
      title: "a.txt",
      origin: "a.txt",
    });
    expect(await extractText({ kind: "file", path: path.join(dir, "b.md") })).toMatchObject({
      text: "# Markdown Title\n\nSoft words.",
      title: "Markdown Title",
    });
    const html = await extractText({ kind: "file", path: path.join(dir, "c.html") });
    expect(html).toMatchObject({ text: "# Lighthouses\n\nA light on a rock saves ships.", title: "Lighthouses" });
  });
  it("refuses other types, missing files, directories, binary and oversized files", async () => {
    writeFileSync(path.join(dir, "sheet.xlsx"), "PK");
    expect((await failure(extractText({ kind: "file", path: path.join(dir, "sheet.xlsx") }))).message).toBe(
      "file: sheet.xlsx: only .txt, .text, .md, .markdown, .mdown, .html, .htm, .xhtml, .pdf, .docx, .epub files " +
        'are supported (got ".xlsx")',
    );
    writeFileSync(path.join(dir, "doc.pdf"), "Not a PDF at all");
    expect((await failure(extractText({ kind: "file", path: path.join(dir, "doc.pdf") }))).message).toBe(
      "file: doc.pdf: is not a PDF file (its content does not start like one)",
    );
    expect((await failure(extractText({ kind: "file", path: path.join(dir, "missing.txt") }))).message).toBe(
      "file: missing.txt: no such file",
    );
    mkdirSync(path.join(dir, "folder.md"));
    expect((await failure(extractText({ kind: "file", path: path.join(dir, "folder.md") }))).message).toMatch(
      /^file: folder\.md: (is a directory|is not a regular file)/,
    );
    writeFileSync(path.join(dir, "bin.txt"), Buffer.from([0x41, 0x00, 0x42]));
    expect((await failure(extractText({ kind: "file", path: path.join(dir, "bin.txt") }))).message).toBe(
      "file: bin.txt: looks binary (contains NUL bytes), expected text",
    );
    writeFileSync(path.join(dir, "big.txt"), "y".repeat(2048));
    const big = await failure(extractText({ kind: "file", path: path.join(dir, "big.txt") }, { maxBytes: 1024 }));
    expect(big.message).toBe("file: big.txt: must be at most 1024 bytes (got 2048)");
    expect(big.field).toBe("file");
  });
});

describe("extractText: URLs (loopback server)", () => {
  it("fetches HTML and reduces it to the article", async () => {
    const r = await extractText({ kind: "url", url: `${server.url}/article` });
    expect(r).toMatchObject({
      text: "# Lighthouses\n\nA light on a rock saves ships.",
      title: "Lighthouses",
      origin: `${server.url}/article`,
    });
    const req = server.requests.find((q) => q.path === "/article");
    expect(req?.headers.accept).toContain("text/html");
  });
  it("follows redirects, honours the charset, reads markdown", async () => {
    expect((await extractText({ kind: "url", url: `${server.url}/redirect` })).origin).toBe(`${server.url}/article`);
    expect((await extractText({ kind: "url", url: `${server.url}/latin1` })).text).toBe("café");
    expect((await extractText({ kind: "url", url: `${server.url}/notes.md` })).text).toBe(
      "# Notes\n\nSome bold words.",
    );
  });
  it("refuses non-http schemes and credentials before any request", async () => {
    const before = server.requests.length;
    for (const [url, msg] of [
      ["file:///etc/passwd", "url: must use http or https (got file)"],
      ["javascript:alert(1)", "url: must use http or https (got javascript)"],
      ["ftp://example.org/x", "url: must use http or https (got ftp)"],
      ["not a url", 'url: must be an absolute http(s) URL (got "not a url")'],
      [`http://user:pw@127.0.0.1:1/x`, "url: must not contain a user name or password"],
    ] as const) {
      const err = await failure(extractText({ kind: "url", url }));
      expect(err.kind).toBe("invalid_input");
      expect(err.message).toBe(msg);
    }
    expect(server.requests.length).toBe(before);
  });
  it("checks every redirect hop: no scheme change, no endless loops", async () => {
    const toFile = await failure(extractText({ kind: "url", url: `${server.url}/to-file` }));
    expect([toFile.kind, toFile.message]).toEqual(["invalid_input", "url: must use http or https (got file)"]);
    const loop = await failure(extractText({ kind: "url", url: `${server.url}/loop` }));
    expect(loop.message).toBe(`url: more than 5 redirects from ${new URL(server.url).host}`);
    expect(server.requests.filter((q) => q.path.startsWith("/loop")).length).toBe(6);
  });
  it("publicHostsOnly refuses loopback and private addresses before any request", async () => {
    const before = server.requests.length;
    const err = await failure(extractText({ kind: "url", url: `${server.url}/article` }, { publicHostsOnly: true }));
    expect(err.kind).toBe("invalid_input");
    expect(err.message).toBe(
      `url: ${new URL(server.url).host} is a private or loopback address (127.0.0.1, loopback); ` +
        "only public hosts may be fetched here",
    );
    const v6 = await failure(extractText({ kind: "url", url: "http://[::1]:9/x" }, { publicHostsOnly: true }));
    expect(v6.message).toMatch(/private or loopback address \(::1, loopback\)/);
    expect(
      (await failure(extractText({ kind: "url", url: "http://localhost:9/x" }, { publicHostsOnly: true }))).message,
    ).toMatch(/private or loopback/);
    expect(server.requests.length).toBe(before);
    for (const ip of [
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::ffff:127.0.0.1",
      "fd00::1",
      "fe80::1",
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of ["8.8.8.8", "172.32.0.1", "192.169.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"])
      expect(isPrivateAddress(ip), ip).toBe(false);
  });
  it("refuses unsupported content types, oversized bodies without Content-Length, and HTTP errors", async () => {
    const png = await failure(extractText({ kind: "url", url: `${server.url}/png` }));
    expect(png.message).toMatch(/^url: content type image\/png is not supported/);
    const big = await failure(extractText({ kind: "url", url: `${server.url}/big` }, { maxBytes: 1024 * 1024 }));
    expect(big.message).toBe("url: must be at most 1048576 bytes (the body was longer)");
    const gone = await failure(extractText({ kind: "url", url: `${server.url}/gone` }));
    expect([gone.kind, gone.message]).toEqual([
      "invalid_input",
      `url: ${new URL(server.url).host} answered 404 Not Found`,
    ]);
    expect((await failure(extractText({ kind: "url", url: `${server.url}/down` }))).kind).toBe("provider_transient");
  });
  it("times out a slow server, and a closed port is a transient error", async () => {
    const t0 = Date.now();
    const slow = await failure(extractText({ kind: "url", url: `${server.url}/slow` }, { timeoutMs: 300 }));
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(slow.kind).toBe("provider_transient");
    expect(slow.message).toMatch(/did not answer within 300 ms/);
    const closed = await failure(extractText({ kind: "url", url: "http://127.0.0.1:1/x" }));
    expect(closed.kind).toBe("provider_transient");
    expect(closed.message).toMatch(/^url: cannot fetch from 127\.0\.0\.1:1/);
  });
  it("a caller's abort is a cancel, not a provider failure", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const err = await failure(extractText({ kind: "url", url: `${server.url}/slow` }, { signal: ac.signal }));
    expect(err.kind).toBe("canceled");
  });
});
