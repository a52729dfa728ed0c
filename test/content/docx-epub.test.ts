// Word and EPUB sources: real archives zipped by the test (make-docs.ts), read as files and URLs,
// checking the text: headings, list items and table rows on lines of their own, chapter order.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.js";
import { documentToText } from "../../src/sources/documents.js";
import { extractText } from "../../src/sources/index.js";
import { startFakeServer, type FakeServer } from "../fakes/server.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import { makeDocx, makeEpub } from "./make-docs.js";

let dir: string;
let server: FakeServer;
let docx: Buffer;
let epub3: Buffer;

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const DOCX_TEXT = [
  "# Harbour Notes",
  "The harbour opens at dawn & closes at dusk.",
  "# Boats",
  "Trawlers\nFerries\nYachts",
  "## Schedule",
  "Unload the catch\nClean the deck",
  "Boat, Crew, Home port\nMary Rose, 5, Brest\nEnded here. 2",
  "That is all.",
].join("\n\n");

const EPUB_TEXT = [
  "# Chapter One: The Sea", // from the table of contents: the chapter has no heading of its own
  "No heading here.",
  "Second paragraph.",
  "# The Moon", // the chapter's own heading, not repeated from the table of contents
  "It pulls the water.",
  "## Notes", // a chapter with no table-of-contents entry keeps what it has
  "The end.",
].join("\n\n");

const chapters = [
  // Manifest order differs from the spine: the spine is the reading order.
  { file: "moon.xhtml", body: "<h1>The Moon</h1><p>It pulls the water.</p>", tocTitle: "The Moon" },
  { file: "sea.xhtml", body: "<p>No heading here.</p><p>Second paragraph.</p>", tocTitle: "Chapter One: The Sea" },
  { file: "notes.xhtml", body: "<h2>Notes</h2><p>The end.</p>" },
];
const spine = ["sea.xhtml", "moon.xhtml", "notes.xhtml"];

beforeAll(async () => {
  dir = tmpDataDir("podcast-mcp-docs-");
  docx = await makeDocx(
    [
      { style: "Title", text: "Harbour Notes" },
      { p: "The harbour opens at dawn & closes at dusk." },
      { style: "Heading1", text: "Boats" },
      { bullets: ["Trawlers", "Ferries", "Yachts"] },
      { style: "Heading2", text: "Schedule" },
      { numbered: ["Unload the catch", "Clean the deck"] },
      {
        table: [
          ["Boat", "Crew", "Home port"],
          ["Mary Rose", "5", "Brest"],
          ["Ended here.", "2", ""],
        ],
      },
      { p: "That is all." },
    ],
    { title: "Harbour Notes 2024" },
  );
  epub3 = await makeEpub({ title: "Tides", version: 3, navInSpine: true, chapters, spine });
  writeFileSync(path.join(dir, "notes.docx"), docx);
  writeFileSync(path.join(dir, "tides.epub"), epub3);
  server = await startFakeServer((req, _body, res) => {
    const url = req.url ?? "";
    const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    if (url === "/notes") res.writeHead(200, { "content-type": docxType }).end(docx);
    else if (url === "/tides") res.writeHead(200, { "content-type": "application/epub+zip" }).end(epub3);
    else return false;
    return true;
  });
});

afterAll(async () => {
  await server.close();
  await stopAll();
});

describe("Word (.docx)", () => {
  it("headings from the heading styles, one list item and one table row per line", async () => {
    const r = await extractText({ kind: "file", path: path.join(dir, "notes.docx") });
    expect(r.text).toBe(DOCX_TEXT);
    expect(r.title).toBe("Harbour Notes 2024"); // the document's properties name it
    expect(r.origin).toBe("notes.docx");
  });

  it("reads the same from a URL", async () => {
    const r = await extractText({ kind: "url", url: `${server.url}/notes` });
    expect(r.text).toBe(DOCX_TEXT);
  });

  it("without a title property, the Title-styled paragraph names it", async () => {
    const bare = await makeDocx([{ style: "Title", text: "Just a Title" }, { p: "Words." }]);
    const r = await documentToText(bare, "docx", { field: "file", name: "bare.docx" });
    expect(r).toEqual({ text: "# Just a Title\n\nWords.", title: "Just a Title" });
  });

  it("a zip that is not a Word file, a damaged one, one that unpacks past the limit: refused by name", async () => {
    const notWord = await failure(documentToText(epub3, "docx", { field: "file", name: "book.docx" }));
    expect(notWord.message).toBe("file: book.docx: is not a Word (.docx) file (no word/document.xml)");
    const damaged = await failure(documentToText(docx.subarray(0, 200), "docx", { field: "file", name: "cut.docx" }));
    expect(damaged.message).toMatch(/^file: cut\.docx: is not a readable Word \(\.docx\) file \(/);
    // 4 MB of zeros packs into a few KB; with a 1 MB unpack limit it is refused while unpacking.
    const bomb = await makeDocx([{ p: "Tiny." }], { extra: { "word/media/zeros.bin": Buffer.alloc(4 * 1024 * 1024) } });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const err = await failure(
      documentToText(bomb, "docx", { field: "file", name: "bomb.docx" }, { maxUnzippedBytes: 1024 * 1024 }),
    );
    expect(err.message).toBe("file: bomb.docx: unpacks to more than 1048576 bytes");
    // The same file within the default limit reads.
    expect((await documentToText(bomb, "docx", { field: "file", name: "bomb.docx" })).text).toBe("Tiny.");
  });
});

describe("EPUB", () => {
  it("EPUB 3: chapters in spine order, titled from the nav document, the nav itself not read", async () => {
    const r = await extractText({ kind: "file", path: path.join(dir, "tides.epub") });
    expect(r.text).toBe(EPUB_TEXT);
    expect(r.title).toBe("Tides");
    for (const gone of ["Contents", "Start of a landmark"]) expect(r.text).not.toContain(gone);
  });

  it("EPUB 2: titled from the NCX", async () => {
    const epub2 = await makeEpub({ title: "Tides, Second Edition", version: 2, chapters, spine });
    const r = await documentToText(epub2, "epub", { field: "file", name: "tides2.epub" });
    expect(r).toEqual({ text: EPUB_TEXT, title: "Tides, Second Edition" });
  });

  it("reads the same from a URL", async () => {
    expect((await extractText({ kind: "url", url: `${server.url}/tides` })).text).toBe(EPUB_TEXT);
  });

  it("an archive without a package, and a zip that is not an EPUB, are refused by name", async () => {
    const err = await failure(documentToText(docx, "epub", { field: "url", name: "https://example.org/book.epub" }));
    expect(err.message).toBe("url: https://example.org/book.epub: is not a readable EPUB (no META-INF/container.xml)");
    const pdfLike = await failure(
      documentToText(Buffer.from("%PDF-1.4 not a zip"), "epub", { field: "file", name: "x.epub" }),
    );
    expect(pdfLike.message).toBe("file: x.epub: is not an EPUB file (its content does not start like one)");
  });
});
