// What a command prints on stderr, for a person at a terminal or for a program reading a pipe or a
// file (CI, `2>log`). One decision, made here: a terminal gets a live line redrawn in place and
// lines that stay above it; anything else gets only the lines that stay, so a log file holds no
// carriage returns or escape codes.

/** The stream is a terminal that understands cursor control (TERM=dumb, e.g. an editor's shell, does not). */
export function isTerminal(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && env.TERM !== "dumb";
}

/** The part of a WriteStream this file uses (tests pass a fake). */
export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface StatusLine {
  readonly terminal: boolean;
  /** Replaces the live line (terminal only; elsewhere it prints nothing). */
  show(text: string): void;
  /** A line that stays: on a terminal it goes above the live line, which is drawn again below it. */
  print(text: string): void;
  /** Removes the live line. */
  clear(): void;
}

const ESC = "\x1b";
const CLEAR_LINE = `\r${ESC}[K`;
/** SGR sequences (colours): they take no room on the screen. */
const SGR = new RegExp(`${ESC}\\[[0-9;]*m`, "g");

/** `text` cut to `width` visible characters, with an ellipsis when cut; escape codes are not counted. */
export function fitWidth(text: string, width: number): string {
  const plain = text.replace(SGR, "");
  if (plain.length <= width) return text;
  return `${plain.slice(0, Math.max(0, width - 1))}…`;
}

export function createStatusLine(stream: OutStream = process.stderr, terminal = isTerminal(stream)): StatusLine {
  let live = "";
  // A pseudo-terminal may report 0 columns (`script` does); 80 is what terminals start with.
  // One column is left free: writing the last one wraps the cursor on some terminals.
  const width = () => Math.max(20, (stream.columns || 80) - 1);
  const draw = () => stream.write(`${CLEAR_LINE}${fitWidth(live, width())}`);
  return {
    terminal,
    show(text) {
      if (!terminal) return;
      live = text;
      draw();
    },
    print(text) {
      if (!terminal) {
        stream.write(`${text}\n`);
        return;
      }
      stream.write(`${CLEAR_LINE}${text}\n`);
      if (live) draw();
    },
    clear() {
      if (terminal && live) stream.write(CLEAR_LINE);
      live = "";
    },
  };
}

/** Colours for a terminal; plain text elsewhere and when NO_COLOR is set (no-color.org). */
export interface Style {
  ok(text: string): string;
  warn(text: string): string;
  bad(text: string): string;
  dim(text: string): string;
}

export function createStyle(terminal: boolean, env: NodeJS.ProcessEnv = process.env): Style {
  const on = terminal && !env.NO_COLOR;
  const sgr = (code: number) => (text: string) => (on ? `${ESC}[${code}m${text}${ESC}[0m` : text);
  return { ok: sgr(32), warn: sgr(33), bad: sgr(31), dim: sgr(2) };
}
