// Markdown → prose: what a listener should hear. Code blocks, images, tables' rules, link targets
// and markup characters go; headings, paragraphs, list items and link texts stay.
import { htmlToText } from "./html.js";
import { normalizeText } from "./normalize.js";

export function markdownToText(md: string): string {
  let s = md.replace(/\r\n?/g, "\n");
  // YAML/TOML front matter at the very top is metadata, not prose.
  s = s.replace(/^(?:---|\+\+\+)\n[\s\S]*?\n(?:---|\+\+\+)\n/, "");
  // Fenced code blocks (``` or ~~~, any length ≥ 3): code does not read aloud.
  // An unclosed fence runs to the end of the text, as CommonMark says.
  s = s.replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:\n {0,3}\1[`~]*[ \t]*(?=\n|(?![\s\S]))|(?![\s\S]))/gm, "\n");
  s = s.replace(/<!--[\s\S]*?(?:-->|$)/g, ""); // HTML comments: notes to the author, not the listener
  // Reference definitions and footnote definitions' markers.
  s = s.replace(/^ {0,3}\[[^\]\n]+\]:\s+\S+.*$/gm, "");
  s = s.replace(/\[\^[^\]\s]+\]/g, "");

  const lines: string[] = [];
  for (let line of s.split("\n")) {
    // Indented code (4 spaces or a tab after a blank line) is rare in notes; list continuations are not.
    if (/^ {0,3}([-*_])( *\1){2,} *$/.test(line)) {
      lines.push(""); // thematic break
      continue;
    }
    if (/^ {0,3}\|? *:?-{2,}:? *(\| *:?-{2,}:? *)*\|? *$/.test(line)) continue; // table rule
    const setext = /^ {0,3}(=+|-+) *$/.exec(line);
    if (setext) {
      // setext underline: the line above was the heading's text
      const prev = lines.length ? lines[lines.length - 1]! : "";
      if (prev.trim()) lines[lines.length - 1] = `${setext[1]!.startsWith("=") ? "#" : "##"} ${prev.trim()}`;
      continue;
    }
    line = line.replace(/^ {0,3}(>\s?)+/, ""); // blockquote
    // Headings stay as `#` lines: they are the document's structure, which the writers use to
    // name and cut segments (the offline writer) or read as context (an LLM). Nothing speaks them.
    const heading = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+\s*)?$/.exec(line);
    if (heading) {
      lines.push("", `${heading[1]} ${heading[2] ?? ""}`.trimEnd(), "");
      continue;
    }
    line = line.replace(/^\s*(?:[-*+]|\d{1,9}[.)])\s+(\[[ xX]\]\s+)?/, ""); // list marker, task box
    if (/^\s*\|.*\|\s*$/.test(line)) {
      line = line
        .trim()
        .replace(/^\||\|$/g, "")
        .split("|")
        .map((c) => c.trim())
        .filter(Boolean)
        .join(", ");
    }
    lines.push(line);
  }
  s = lines.join("\n");

  // Every span below has a length bound ({0,N}): an unclosed "[" or "**" in a 5 MB file must cost
  // N steps per position, not a scan to the end of the text (which made this quadratic).
  s = s.replace(/!\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)/g, "$1"); // image → its alt text
  s = s.replace(/!\[([^\]\n]{0,500})\]\[[^\]\n]{0,200}\]/g, "$1");
  s = s.replace(/\[([^\]\n]{1,500})\]\((?:[^()\s]|\([^()\s]{0,200}\)){0,2000}(?:\s+"[^"\n]{0,300}")?\)/g, "$1"); // [text](url "title")
  s = s.replace(/\[([^\]\n]{1,500})\]\[[^\]\n]{0,200}\]/g, "$1"); // [text][ref]
  // Autolinks; "<" ends one, so a run of "<http:" costs no 2,000-char scan each.
  s = s.replace(/<((?:https?|mailto):[^<>\s]{1,2000})>/g, "$1");
  s = s.replace(/`{1,3}([^`\n]{1,1000})`{1,3}/g, "$1"); // inline code keeps its text
  // Emphasis: ** __ * _ ~~ around words. "_" only at word edges, so snake_case survives.
  // Strong text stops at the next "**" (or "__"): an unclosed "**" then costs the distance to the
  // next one, not 500 steps (100k × "**a " took 2.2 s, now tens of ms).
  s = s.replace(/\*\*(?=\S)((?:[^*\n]|\*(?!\*)){0,500}?\S)\*\*/g, "$1");
  s = s.replace(/__(?=\S)((?:[^_\n]|_(?!_)){0,500}?\S)__/g, "$1");
  s = s.replace(/(^|[^\w*])\*(?=\S)([^*\n]{0,500}?\S)\*(?!\w)/g, "$1$2");
  s = s.replace(/(^|[^\w])_(?=\S)([^_\n]{0,500}?\S)_(?!\w)/g, "$1$2");
  s = s.replace(/~~(?=\S)([^\n]{0,500}?\S)~~/g, "$1");
  // Inline HTML (allowed in Markdown) goes through the HTML extractor only when there is some.
  if (/<\/?[a-zA-Z][^<>]{0,2000}>/.test(s)) s = htmlToText(s.replace(/\n\n/g, "<p>").replace(/\n/g, "<br>")).text;
  // Backslash escapes: \* → *
  s = s.replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, "$1");
  return normalizeText(s);
}
