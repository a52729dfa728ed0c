// The Range header (RFC 9110 §14.1–14.2). A header that does not parse, or names another unit, is
// ignored: the whole file with 200, as §14.2 allows; a 416 is only for a valid Range that misses the
// file. Several satisfiable ranges also get the whole file: a 200 is a correct answer to any Range,
// and players ask for one range at a time, so multipart/byteranges would be code nobody uses.
export type RangeDecision =
  | { kind: "whole" }
  | { kind: "part"; start: number; end: number }
  | { kind: "unsatisfiable" };

const SPEC = /^(\d*)-(\d*)$/;

export function decideRange(header: string | undefined, size: number): RangeDecision {
  if (header === undefined) return { kind: "whole" };
  const eq = header.indexOf("=");
  if (eq < 0 || header.slice(0, eq).trim().toLowerCase() !== "bytes") return { kind: "whole" };
  const specs = header
    .slice(eq + 1)
    .split(",")
    .map((s) => s.trim());
  const satisfiable: { start: number; end: number }[] = [];
  for (const spec of specs) {
    const m = SPEC.exec(spec);
    if (!m || (m[1] === "" && m[2] === "")) return { kind: "whole" };
    if (m[1] === "") {
      // suffix range: the last N bytes; "-0" is valid but never satisfiable
      const n = Number(m[2]);
      if (n > 0 && size > 0) satisfiable.push({ start: Math.max(0, size - n), end: size - 1 });
      continue;
    }
    const first = Number(m[1]);
    const last = m[2] === "" ? Infinity : Number(m[2]);
    if (last < first) return { kind: "whole" }; // an invalid range-spec makes the header invalid
    if (first < size) satisfiable.push({ start: first, end: Math.min(last, size - 1) });
  }
  if (satisfiable.length === 0) return { kind: "unsatisfiable" };
  if (satisfiable.length > 1) return { kind: "whole" };
  return { kind: "part", ...satisfiable[0]! };
}
