import { describe, expect, it } from "vitest";
import { htmlToText } from "../../src/sources/html.js";
import { markdownToText } from "../../src/sources/markdown.js";

const PAGE = `<!doctype html>
<html><head><title>Tides &amp; Moons | Example Blog</title>
<style>body { color: red } p > a { x: "<p>" }</style>
<script>var html = "<p>not prose</p>"; if (a < b && c > d) {}</script>
</head>
<body>
<header><nav><a href="/">Home</a> <a href="/about">About</a></nav></header>
<main>
<article>
<h1>Why the sea <em>breathes</em></h1>
<p>The tide rises twice a day,
   because the Moon pulls on the oceans.</p>
<p>Sailors&nbsp;knew it &mdash; long before Newton&#8217;s law &#x2014; and wrote it down.</p>
<div hidden>Secret hidden text</div>
<div aria-hidden="true"><span>Decorative text</span></div>
<div style="display:none">Invisible text</div>
<h2>Spring tides</h2>
<ul><li>New moon</li><li>Full moon</li></ul>
<p>Data: <a href="https://example.org/x" title="a > b">the tables</a> agree.</p>
<!-- a comment with <p>markup</p> -->
<table><tr><td>High</td><td>6.2 m</td></tr></table>
<form><label>Email</label><input name="e"><button>Subscribe</button></form>
<pre>  keep   this
  spacing</pre>
</article>
<aside>Related posts: nothing to read here</aside>
</main>
<footer>© 2026 Example Inc. All rights reserved.</footer>
</body></html>`;

describe("htmlToText", () => {
  const { text, title } = htmlToText(PAGE);

  it("keeps the title, headings and paragraphs as separate blocks", () => {
    expect(title).toBe("Tides & Moons | Example Blog");
    const blocks = text.split("\n\n");
    expect(blocks[0]).toBe("# Why the sea breathes");
    expect(blocks[1]).toBe("The tide rises twice a day, because the Moon pulls on the oceans.");
    expect(text).toMatch(/\n\n#+ Spring tides\n\n/);
    expect(text).toContain("Sailors knew it — long before Newton’s law — and wrote it down.");
    expect(text).toMatch(/New moon\nFull moon/);
    expect(text).toContain("Data: the tables agree.");
    expect(text).toContain("High, 6.2 m"); // a table row is one line, its cells joined by commas
    expect(text).toContain("keep this"); // whitespace collapsed by normalisation, words kept in order
  });

  it("drops scripts, styles, navigation, forms, hidden elements, comments and what is outside <main>", () => {
    for (const gone of [
      "not prose",
      "color",
      "Home",
      "About",
      "Secret",
      "Decorative",
      "Invisible",
      "markup",
      "Subscribe",
      "Email",
      "Related posts",
      "All rights reserved",
    ]) {
      expect(text, gone).not.toContain(gone);
    }
  });

  it("without a main element keeps the body text, and a heading-only page yields the heading as title", () => {
    const r = htmlToText(
      "<body><svg><title>icon</title></svg><h1>Only &lt;heading&gt;</h1><div>One</div><div>Two</div><nav>skip</nav></body>",
    );
    expect(r.title).toBe("Only <heading>");
    expect(r.text).toBe("# Only <heading>\n\nOne\nTwo");
  });

  it("an empty <main> (a client-rendered shell) falls back to the whole body", () => {
    const r = htmlToText("<body><main></main><div>Visible body text</div></body>");
    expect(r.text).toBe("Visible body text");
  });

  it("survives malformed markup: unclosed tags, stray < and unknown entities", () => {
    const r = htmlToText("<p>a < b and c > d &bogus; &#0; <b>bold<p>next");
    expect(r.text).toBe("a < b and c > d &bogus; \uFFFD bold\n\nnext");
  });
});

describe("markdownToText", () => {
  it("reduces Markdown to the prose a listener should hear", () => {
    const md = [
      "---",
      "title: front matter",
      "---",
      "# Tides",
      "",
      'The **Moon** pulls the _oceans_; see [the tables](https://example.org/t "T") and ![a chart](c.png).',
      "",
      "```js",
      "const code = 'never spoken';",
      "",
      "console.log(code); // still code",
      "```",
      "",
      "- first *point*",
      "2. second `point`",
      "> quoted words",
      "",
      "| Place | Height |",
      "|-------|-------:|",
      "| Brest | 7 m |",
      "",
      "***",
      "snake_case_name stays, and <b>inline html</b> too.[^1]",
      "",
      "[^1]: https://example.org/footnote",
    ].join("\n");
    const text = markdownToText(md);
    expect(text).toBe(
      [
        "# Tides",
        "",
        "The Moon pulls the oceans; see the tables and a chart.",
        "",
        "first point",
        "second point",
        "quoted words",
        "",
        "Place, Height",
        "Brest, 7 m",
        "",
        "snake_case_name stays, and inline html too.",
      ].join("\n"),
    );
  });
  it("an unclosed fence hides the rest of the text, not just its first line", () => {
    expect(markdownToText("Before.\n\n```\nline one\nline two\n")).toBe("Before.");
  });
});

describe("hostile input", () => {
  // Each of these took from seconds to minutes with unbounded patterns (quadratic scans); linear
  // code does all of them in well under a second. The bound is loose for a busy machine.
  it("unclosed tags, links and emphasis stay linear", () => {
    const t0 = Date.now();
    htmlToText("<main ".repeat(60_000));
    htmlToText("<!a".repeat(100_000));
    htmlToText("<?x".repeat(100_000));
    markdownToText("[a](".repeat(100_000));
    markdownToText("<http://".repeat(60_000));
    markdownToText("**a ".repeat(100_000));
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
  it("prose that mentions role=main is not mistaken for markup", () => {
    expect(htmlToText('Set role="main" on the element.').text).toBe('Set role="main" on the element.');
  });
});
