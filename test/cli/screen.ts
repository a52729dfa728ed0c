// What a terminal shows, for tests of what commands print: enough of a terminal for \r, \n, the
// "clear to end of line" escape and colours, which is all that src/cli/terminal.ts writes.

const ESC = "\x1b";
const COLOURS = new RegExp(`${ESC}\\[[0-9;]*m`, "g");
const CLEAR_TO_END = `${ESC}[K`;
const CONTROLS = new RegExp(`(\\r|\\n|${ESC}\\[K)`);

export function stripColours(text: string): string {
  return text.replace(COLOURS, "");
}

/** The lines left on the screen after `text`: \r goes back to the line's start, ESC[K clears the rest. */
export function screen(text: string): string[] {
  const lines: string[] = [];
  let line = "";
  let col = 0;
  for (const part of stripColours(text).split(CONTROLS)) {
    if (part === "\r") col = 0;
    else if (part === "\n") {
      lines.push(line);
      line = "";
      col = 0;
    } else if (part === CLEAR_TO_END) line = line.slice(0, col);
    else {
      line = line.slice(0, col) + part + line.slice(col + part.length);
      col += part.length;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Every state of the live line: the text drawn after each "\r ESC[K", up to the next control. */
export function frames(text: string): string[] {
  return stripColours(text)
    .split(`\r${CLEAR_TO_END}`)
    .slice(1)
    .map((f) => f.split(/[\r\n]/)[0]!)
    .filter(Boolean);
}
