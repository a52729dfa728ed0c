// Web pages: the article, not the cookie banner, menus, related links or footer (Readability on
// linkedom), with its title and byline; plain pages fall back to the HTML extractor. Also the
// fetcher's compressed bodies, which real sites send.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.js";
import { webPageToText } from "../../src/sources/article.js";
import { htmlToText } from "../../src/sources/html.js";
import { extractText } from "../../src/sources/index.js";
import { MAX_ARTICLE_ELEMENTS } from "../../src/sources/limits.js";
import { startFakeServer, type FakeServer } from "../fakes/server.js";
import { ROOT, stopAll, tmpDataDir } from "../helpers/procs.js";

const PAGE = readFileSync(path.join(ROOT, "test/fixtures/docs/article.html"), "utf8");
const JUNK = [
  "cookies",
  "Privacy settings",
  "Home",
  "Subscribe",
  "The Coast Journal",
  "Related stories",
  "fish and chips",
  "Copyright",
  "Contact us",
  "track",
];
const P1 = "For two hundred years the lighthouse on the point was kept by the same three families.";
const LAST = "on clear nights its beam still sweeps the water every fifteen seconds.";

let server: FakeServer;
let dir: string;

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

beforeAll(async () => {
  dir = tmpDataDir("podcast-mcp-article-");
  server = await startFakeServer((req, _body, res) => {
    const url = req.url ?? "";
    if (url === "/story") res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
    else if (url === "/story.gz")
      res.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" }).end(zlib.gzipSync(PAGE));
    else if (url === "/story.br")
      res.writeHead(200, { "content-type": "text/html", "content-encoding": "br" }).end(zlib.brotliCompressSync(PAGE));
    else if (url === "/bomb") {
      // 8 MB of spaces packs into ~8 KB: the cap is on what it unpacks to.
      res
        .writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip" })
        .end(zlib.gzipSync(Buffer.alloc(8 * 1024 * 1024, 32)));
    } else return false;
    return true;
  });
});

afterAll(async () => {
  await server.close();
  await stopAll();
});

describe("the article of a web page", () => {
  it("keeps the title as a heading, the byline under it, the article's headings, paragraphs and list items", () => {
    const { text, title } = webPageToText(PAGE);
    expect(title).toBe("Keepers of the Light"); // the <h1>, not "… | The Coast Journal"
    const blocks = text.split("\n\n");
    expect(blocks.slice(0, 3)).toEqual([
      "# Keepers of the Light",
      "By Ada Lovelace",
      expect.stringMatching(new RegExp(`^${P1}`)),
    ]);
    expect(text).toContain("\n\n## The lamp and the lens\n\n");
    expect(text).toContain("\n\nWhale oil until 1870\nParaffin until 1921\nElectricity since 1921\n\n");
    expect(text).toContain("\n\nA light is a promise kept every night.\n\n");
    expect(text.endsWith(LAST)).toBe(true);
  });

  it("drops the cookie banner, menus, related links and footer, which the plain extractor keeps", () => {
    const { text } = webPageToText(PAGE);
    for (const junk of JUNK) expect(text, junk).not.toContain(junk);
    // The same page through the plain extractor: what Readability saves the listener from.
    const plain = htmlToText(PAGE).text;
    for (const junk of ["cookies", "Home | News", "Related stories", "Copyright"]) expect(plain, junk).toContain(junk);
  });

  it("a byline that only the page's metadata gives is written under the title", () => {
    const page = PAGE.replace(/<div class="byline">.*?<\/div>/, "").replace(
      "<head>",
      '<head><meta name="author" content="Grace Hopper">',
    );
    expect(webPageToText(page).text.split("\n\n").slice(0, 2)).toEqual(["# Keepers of the Light", "Grace Hopper"]);
  });

  it("a page that is not an article (short, or an index) is read by the plain extractor", () => {
    const note = "<html><head><title>Note</title></head><body><div>Buy milk.</div><div>Call Sam.</div></body></html>";
    expect(webPageToText(note)).toEqual(htmlToText(note));
    expect(webPageToText(note).text).toBe("Buy milk.\nCall Sam.");
  });
});

describe("a page too large for the article finder", () => {
  it(`over ${MAX_ARTICLE_ELEMENTS} elements the plain extractor reads it (Readability would take seconds)`, () => {
    const filler = "<span>x</span>".repeat(MAX_ARTICLE_ELEMENTS);
    const page = PAGE.replace("</body>", `<div hidden>${filler}</div></body>`);
    expect(webPageToText(page)).toEqual(htmlToText(page));
    expect(webPageToText(page).text).toContain("We use cookies"); // the plain extractor keeps the banner
  });
});

describe("web pages as sources", () => {
  it("a URL and a saved .html file give the article", async () => {
    const byUrl = await extractText({ kind: "url", url: `${server.url}/story` });
    expect(byUrl.title).toBe("Keepers of the Light");
    expect(byUrl.text).toBe(webPageToText(PAGE).text);
    writeFileSync(path.join(dir, "saved.html"), PAGE);
    expect((await extractText({ kind: "file", path: path.join(dir, "saved.html") })).text).toBe(byUrl.text);
  });

  it("gzip and brotli bodies are unpacked; the size cap holds on what they unpack to", async () => {
    const expected = webPageToText(PAGE).text;
    expect((await extractText({ kind: "url", url: `${server.url}/story.gz` })).text).toBe(expected);
    expect((await extractText({ kind: "url", url: `${server.url}/story.br` })).text).toBe(expected);
    const req = server.requests.find((q) => q.path === "/story.gz");
    expect(req?.headers["accept-encoding"]).toMatch(/gzip/);
    const bomb = await failure(extractText({ kind: "url", url: `${server.url}/bomb` }, { maxBytes: 1024 * 1024 }));
    expect(bomb.message).toBe("url: must be at most 1048576 bytes (the body was longer)");
  });
});
