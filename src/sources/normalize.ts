// Whitespace and character clean-up shared by every extractor, so the writer sees one shape of text:
// paragraphs separated by one blank line, no control characters, no trailing spaces.

export function normalizeText(raw: string): string {
  return (
    raw
      .normalize("NFC")
      .replace(/\r\n?/g, "\n")
      // Control characters (except newline and tab) come from binary junk or bad copy-paste and make TTS stumble.
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B\uFEFF]/g, "")
      .replace(/[\t\u00A0\u2000-\u200A\u202F\u205F\u3000]+/g, " ")
      .split("\n")
      .map((line) => line.replace(/ {2,}/g, " ").trim())
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim()
  );
}
