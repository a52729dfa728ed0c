// PDF sources: real PDF files written by the test (make-pdf.ts), read through extractText as a
// caller's file or URL would be, checking the text that comes out.
import { truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.js";
import { extractText } from "../../src/sources/index.js";
import { startFakeServer, type FakeServer } from "../fakes/server.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import { makePdf, paragraphs, type PdfLine } from "./make-pdf.js";

let dir: string;
let server: FakeServer;

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** What every page carries: a running header, a running footer and "Page n of 3". */
const furniture = (n: number): PdfLine[] => [
  { text: "The Lighthouse Report", x: 72, y: 760, size: 9 },
  { text: "Coastal Trust - Annual Report 2024", x: 72, y: 45, size: 9 },
  { text: `Page ${n} of 3`, x: 280, y: 30, size: 9 },
];

const REPORT = makePdf({
  title: "Lighthouses of the North Coast",
  pages: [
    {
      lines: [
        ...furniture(1),
        { text: "1 Introduction", x: 72, y: 700, size: 16, bold: true },
        ...paragraphs(670, [
          [
            "Lighthouses have guided ships for centuries. The inter-",
            "national code of signals is well-known to every sailor.",
          ],
          [
            "A keeper had to be self-",
            "sufficient: the nearest town was a day away. Every light-",
            "house kept a log of the weather and the ships.",
          ],
        ]),
        { text: "1.1 Early lights", x: 72, y: 540, size: 13, bold: true },
        ...paragraphs(515, [
          ["The first lights were fires on hills. Later, towers", "were built of stone, and oil lamps burned in them,"],
        ]),
      ],
    },
    {
      lines: [
        // This page draws its header last: headers are found by where they sit, not by stream order.
        ...paragraphs(720, [["tended through the night by families who lived at the", "foot of the tower."]]),
        { text: "2 The Keepers and", x: 72, y: 650, size: 16, bold: true },
        { text: "Their Families", x: 72, y: 632, size: 16, bold: true },
        ...paragraphs(600, [
          ["Children rowed to school when the sea allowed it.", "Wives kept the lamps lit when the keepers fell ill."],
        ]),
        ...furniture(2),
      ],
    },
    {
      lines: [
        ...furniture(3),
        ...paragraphs(700, [["Automation ended the keepers' era by 1990.", "The towers still stand."]]),
      ],
    },
  ],
  outline: [
    { title: "1 Introduction", page: 0, top: 716, children: [{ title: "1.1 Early lights", page: 0, top: 555 }] },
    { title: "2 The Keepers and Their Families", page: 1, top: 668 },
    // No line of page 3 says "3 Conclusion": the heading goes where the bookmark points.
    { title: "3 Conclusion", page: 2, top: 716 },
  ],
});

const EXPECTED = [
  "# 1 Introduction",
  "Lighthouses have guided ships for centuries. The international code of signals is well-known to every sailor.",
  "A keeper had to be self-sufficient: the nearest town was a day away. " +
    "Every lighthouse kept a log of the weather and the ships.",
  "## 1.1 Early lights",
  "The first lights were fires on hills. Later, towers were built of stone, and oil lamps burned in them, " +
    "tended through the night by families who lived at the foot of the tower.",
  "# 2 The Keepers and Their Families",
  "Children rowed to school when the sea allowed it. Wives kept the lamps lit when the keepers fell ill.",
  "# 3 Conclusion",
  "Automation ended the keepers' era by 1990. The towers still stand.",
].join("\n\n");

beforeAll(async () => {
  dir = tmpDataDir("podcast-mcp-pdf-");
  writeFileSync(path.join(dir, "report.pdf"), REPORT);
  server = await startFakeServer((req, _body, res) => {
    const url = req.url ?? "";
    if (url === "/report") res.writeHead(200, { "content-type": "application/pdf" }).end(REPORT);
    else if (url === "/files/report.pdf")
      res.writeHead(200, { "content-type": "application/octet-stream" }).end(REPORT);
    else return false;
    return true;
  });
});

afterAll(async () => {
  await server.close();
  await stopAll();
});

describe("a PDF with an outline, running headers and footers, page numbers and hyphenation", () => {
  it("reads as headings and paragraphs in reading order, without the page furniture", async () => {
    const r = await extractText({ kind: "file", path: path.join(dir, "report.pdf") });
    expect(r.text).toBe(EXPECTED);
    expect(r.title).toBe("Lighthouses of the North Coast");
    expect(r.origin).toBe("report.pdf");
    expect(r.bytes).toBe(REPORT.length);
    for (const gone of ["The Lighthouse Report", "Coastal Trust", "Page 1", "of 3", "inter-", "light- house"]) {
      expect(r.text, gone).not.toContain(gone);
    }
  });

  it("reads the same from a URL, by content type or by the path's extension", async () => {
    const byType = await extractText({ kind: "url", url: `${server.url}/report` });
    expect(byType.text).toBe(EXPECTED);
    expect(byType.title).toBe("Lighthouses of the North Coast");
    const byExtension = await extractText({ kind: "url", url: `${server.url}/files/report.pdf` });
    expect(byExtension.text).toBe(EXPECTED);
    const req = server.requests.find((q) => q.path === "/report");
    expect(req?.headers.accept).toContain("application/pdf");
  });

  it("without an outline, no headings are invented; the furniture still goes", async () => {
    const plain = makePdf({
      pages: [
        { lines: [...furniture(1), ...paragraphs(700, [["Only prose here."]])] },
        { lines: [...furniture(2), ...paragraphs(700, [["And here."]])] },
      ],
    });
    writeFileSync(path.join(dir, "plain.pdf"), plain);
    const r = await extractText({ kind: "file", path: path.join(dir, "plain.pdf") });
    expect(r.text).toBe("Only prose here.\n\nAnd here.");
    expect(r.title).toBe("plain.pdf");
  });
});

describe("PDFs that cannot be read say so, naming the file", () => {
  it("an encrypted PDF (a user password, RC4) is refused", async () => {
    writeFileSync(
      path.join(dir, "locked.pdf"),
      makePdf({ pages: [{ lines: paragraphs(700, [["Secret words."]]) }], userPassword: "open sesame" }),
    );
    const err = await failure(extractText({ kind: "file", path: path.join(dir, "locked.pdf") }));
    expect([err.kind, err.message]).toEqual([
      "invalid_input",
      "file: locked.pdf: is encrypted (password-protected); save an unprotected copy or paste its text",
    ]);
  });

  it("a scanned (image-only) PDF is refused: it has no text layer", async () => {
    writeFileSync(
      path.join(dir, "scan.pdf"),
      makePdf({
        pages: [
          { lines: [], image: true },
          { lines: [], image: true },
        ],
      }),
    );
    const err = await failure(extractText({ kind: "file", path: path.join(dir, "scan.pdf") }));
    expect([err.kind, err.message]).toEqual([
      "invalid_input",
      "file: scan.pdf: has no text layer (a scanned or image-only PDF); run OCR on it first or paste its text",
    ]);
  });

  it("a scan whose pages carry only a page number is still a scan", async () => {
    const pages = [1, 2, 3].map((n) => ({ lines: [{ text: String(n), x: 300, y: 30 }], image: true }));
    writeFileSync(path.join(dir, "numbered-scan.pdf"), makePdf({ pages }));
    const err = await failure(extractText({ kind: "file", path: path.join(dir, "numbered-scan.pdf") }));
    expect(err.message).toMatch(/^file: numbered-scan\.pdf: has no text layer/);
  });

  it("page and size limits, a broken file, a file that is not a PDF", async () => {
    const pages = await failure(extractText({ kind: "file", path: path.join(dir, "report.pdf") }, { maxPages: 2 }));
    expect(pages.message).toBe("file: report.pdf: has 3 pages; at most 2 are read");
    const size = await failure(extractText({ kind: "file", path: path.join(dir, "report.pdf") }, { maxBytes: 1000 }));
    expect(size.message).toBe(`file: report.pdf: must be at most 1000 bytes (got ${REPORT.length})`);
    writeFileSync(path.join(dir, "broken.pdf"), REPORT.subarray(0, 300));
    const broken = await failure(extractText({ kind: "file", path: path.join(dir, "broken.pdf") }));
    expect(broken.kind).toBe("invalid_input");
    expect(broken.message).toBe("file: broken.pdf: is not a readable PDF (Invalid PDF structure.)");
    writeFileSync(path.join(dir, "letter.pdf"), "Dear reader, this is plain text.");
    expect((await failure(extractText({ kind: "file", path: path.join(dir, "letter.pdf") }))).message).toBe(
      "file: letter.pdf: is not a PDF file (its content does not start like one)",
    );
  });

  it("documents may be 50 MB where text files stop at 5 MB", async () => {
    // Sparse files: 6 MB on paper, nothing on disk.
    truncateSync(writeFileAnd(path.join(dir, "big.txt")), 6 * 1024 * 1024);
    truncateSync(writeFileAnd(path.join(dir, "big.pdf")), 6 * 1024 * 1024);
    expect((await failure(extractText({ kind: "file", path: path.join(dir, "big.txt") }))).message).toBe(
      "file: big.txt: must be at most 5242880 bytes (got 6291456)",
    );
    // Read in full, then refused for what it holds (zeros), not for its size.
    expect((await failure(extractText({ kind: "file", path: path.join(dir, "big.pdf") }))).message).toBe(
      "file: big.pdf: is not a PDF file (its content does not start like one)",
    );
  });

  it("a time budget and a cancel stop the reading", async () => {
    const slow = await failure(
      extractText({ kind: "file", path: path.join(dir, "report.pdf") }, { extractTimeoutMs: 0 }),
    );
    expect([slow.kind, slow.message]).toEqual([
      "invalid_input",
      "file: report.pdf: took longer than 0 ms to read; it is too large or malformed",
    ]);
    const canceled = await failure(
      extractText({ kind: "file", path: path.join(dir, "report.pdf") }, { signal: AbortSignal.abort() }),
    );
    expect([canceled.kind, canceled.message]).toEqual(["canceled", "file: report.pdf: reading canceled"]);
  });
});

function writeFileAnd(p: string): string {
  writeFileSync(p, "");
  return p;
}
