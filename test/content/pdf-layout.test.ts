// The layout rules of pdf-layout.ts one by one, on positioned lines (what pdf.ts gets from pdf.js).
import { describe, expect, it } from "vitest";
import { layoutText, type PdfLine, type PdfPageLines } from "../../src/sources/pdf-layout.js";

const VIEW = [0, 0, 612, 792];
/** Lines of one paragraph, top down, 14 pt apart at 11 pt. */
const para = (top: number, texts: string[], x = 72): PdfLine[] =>
  texts.map((text, i) => ({ text, x, y: top - i * 14, size: 11 }));
const page = (...lines: PdfLine[][]): PdfPageLines => ({ lines: lines.flat(), view: VIEW });

describe("hyphens at line ends", () => {
  const join = (a: string, b: string, context = "") =>
    layoutText([page(para(700, [a, b]), context ? para(600, [context]) : [])]).split("\n\n")[0];

  it("joins a word broken across lines, and keeps real hyphens", () => {
    expect(join("the inter-", "national code")).toBe("the international code");
    expect(join("it is well-", "known here", "A well-known fact.")).toBe("it is well-known here");
    expect(join("a light-", "house keeper", "The lighthouse stood.")).toBe("a lighthouse keeper");
    expect(join("the self-", "evident truth")).toBe("the self-evident truth"); // a compound's usual first half
    expect(join("the Anglo-", "Saxon kings")).toBe("the Anglo-Saxon kings"); // a capital: a real hyphen
    expect(join("from 1990-", "1995 onwards")).toBe("from 1990-1995 onwards");
    expect(join("a soft\u00ad", "hyphen")).toBe("a softhyphen");
    expect(join("a dash -", "then more")).toBe("a dash - then more"); // spaced: a dash, not a hyphen
  });
});

describe("paragraphs", () => {
  it("a gap wider than the line spacing, a new font size, or an indented first line start a paragraph", () => {
    const text = layoutText([
      page(
        para(700, ["First paragraph line one", "line two ends here."]),
        para(650, ["Second after a gap."]),
        [{ text: "Indented start of a third.", x: 90, y: 636, size: 11 }],
        [{ text: "Bigger print follows.", x: 72, y: 620, size: 14 }],
      ),
    ]);
    expect(text).toBe(
      [
        "First paragraph line one line two ends here.",
        "Second after a gap.",
        "Indented start of a third.",
        "Bigger print follows.",
      ].join("\n\n"),
    );
  });

  it("a paragraph goes on across pages and columns unless a sentence ended", () => {
    const twoColumns = page(
      para(700, ["Left column starts and", "runs on into"], 72),
      para(700, ["the right column.", "Next sentence."], 320),
    );
    const next = page(para(700, ["Still the same paragraph."]));
    expect(layoutText([twoColumns, next])).toBe(
      "Left column starts and runs on into the right column. Next sentence.\n\nStill the same paragraph.",
    );
    const ended = page(para(700, ["A closed sentence."]));
    expect(layoutText([ended, page(para(700, ["A new paragraph."]))])).toBe("A closed sentence.\n\nA new paragraph.");
  });
});

describe("running headers, footers and page numbers", () => {
  const body = (n: number) => para(600, [`Body text of page ${n}.`]);

  it("text repeating in the top or bottom band goes, with numbers masked; page numbers in any style go", () => {
    const styles = ["- 1 -", "ii", "Page 3", "4 of 9"];
    const pages = styles.map((num, i) =>
      page([{ text: `Chapter ${i + 1} · The Lamp`, x: 72, y: 760, size: 9 }], body(i + 1), [
        { text: num, x: 300, y: 30, size: 9 },
      ]),
    );
    expect(layoutText(pages)).toBe(styles.map((_, i) => `Body text of page ${i + 1}.`).join("\n\n"));
  });

  it("text that repeats in the middle of pages stays, and so do lines at the top that differ from page to page", () => {
    const tops = ["A one-off opening line.", "Another start up top.", "The third page opens."];
    const pages = tops.map((top) => page([{ text: top, x: 72, y: 760, size: 11 }], para(600, ["Refrain."])));
    expect(layoutText(pages)).toBe(tops.map((top) => `${top}\n\nRefrain.`).join("\n\n"));
  });
});

describe("headings from the outline", () => {
  it("matches titles written with or without their numbering, wrapped titles, and prefers the large line", () => {
    const pages = [
      page(
        [{ text: "Introduction", x: 72, y: 770, size: 8 }], // a running header that repeats the chapter's title
        [{ text: "1. Introduction", x: 72, y: 700, size: 18 }],
        para(670, ["Opening words."]),
        [
          { text: "A Very Long Section Title That", x: 72, y: 620, size: 14 },
          { text: "Wraps Onto a Second Line", x: 72, y: 604, size: 14 },
        ],
        para(580, ["More words."]),
      ),
    ];
    const text = layoutText(pages, [
      { title: "Introduction", level: 1, page: 0 },
      { title: "A Very Long Section Title That Wraps Onto a Second Line", level: 2, page: 0, top: 640 },
    ]);
    expect(text).toBe(
      [
        "Introduction",
        "# Introduction",
        "Opening words.",
        "## A Very Long Section Title That Wraps Onto a Second Line",
        "More words.",
      ].join("\n\n"),
    );
  });

  it("a bookmark with no matching line is inserted where it points; levels stop at six", () => {
    const pages = [page(para(700, ["Before the mark."]), para(600, ["After the mark."]))];
    expect(layoutText(pages, [{ title: "Deep", level: 6, page: 0, top: 650 }])).toBe(
      "Before the mark.\n\n###### Deep\n\nAfter the mark.",
    );
  });
});
