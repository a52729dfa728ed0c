// Text and attribute values for XML 1.0. Characters XML 1.0 forbids (C0 controls but tab, LF and CR;
// U+FFFE, U+FFFF; lone surrogates) cannot be written even escaped (`&#1;` is not well-formed either),
// so they are dropped: one `\u0001` in an episode name made the whole feed unreadable.
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlSafe(s: string): string {
  return s.replace(FORBIDDEN, "");
}

/** Escaped for element content and for attribute values in double or single quotes. */
export function xmlText(s: string): string {
  return xmlSafe(s)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
