// Flags for every command: node:util parseArgs reads them (as tokens, so nothing is lost), and this
// file turns what it found into errors a person can read, worded the same for every command
// ("unknown option: --bogus", "--profile: needs a value"). Node's own messages change between
// versions and talk of "positional arguments"; these name the flag and what is wrong with it.
import { parseArgs } from "node:util";
import { AppError, invalidInput } from "../errors.js";

export type FlagSpec = Record<string, { type: "string" | "boolean"; short?: string }>;

export type FlagValues<S extends FlagSpec> = { [K in keyof S]?: S[K]["type"] extends "string" ? string : boolean };

export interface ParsedFlags<S extends FlagSpec> {
  values: FlagValues<S>;
  positionals: string[];
}

/**
 * A value given as the next argument that looks like an option ("--profile --name x") is refused,
 * as parseArgs' strict mode does, but a negative number ("--port -1") is kept for its own message.
 */
function optionLike(value: string): boolean {
  return value.length > 1 && value.startsWith("-") && !/^-\d/.test(value);
}

/** Parses `args` for `command`; throws AppError("invalid_input") on the first thing that is wrong. */
export function parseFlags<S extends FlagSpec>(
  command: string,
  args: string[],
  spec: S,
  opts: { positionals?: boolean } = {},
): ParsedFlags<S> {
  const { tokens } = parseArgs({ args, options: spec, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === "option-terminator") continue;
    if (t.kind === "positional") {
      if (!opts.positionals) {
        const text = `unexpected argument ${JSON.stringify(t.value)}: ${command} takes options only`;
        throw new AppError("invalid_input", text, { field: t.value });
      }
      positionals.push(t.value);
      continue;
    }
    const def = Object.hasOwn(spec, t.name) ? spec[t.name] : undefined;
    if (!def) throw new AppError("invalid_input", `unknown option: ${t.rawName}`, { field: t.rawName });
    const flag = `--${t.name}`;
    if (def.type === "boolean") {
      if (t.value !== undefined) throw invalidInput(flag, `takes no value (got ${JSON.stringify(t.value)})`);
      values[t.name] = true;
      continue;
    }
    if (t.value === undefined || t.value === "") throw invalidInput(flag, "needs a value");
    if (!t.inlineValue && optionLike(t.value)) {
      const hint = `for a value that starts with a dash write ${flag}=${t.value}`;
      throw invalidInput(flag, `needs a value (${t.value} is an option; ${hint})`);
    }
    values[t.name] = t.value;
  }
  return { values: values as FlagValues<S>, positionals };
}

/** A whole number in [min, max] from a flag's text, or undefined when the flag was not given. */
export function wholeNumber(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = /^-?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw invalidInput(flag, `must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  }
  return n;
}

/** `--help` or `-h` before any `--`: the person wants the command's help, whatever else is there. */
export function wantsHelp(args: string[]): boolean {
  for (const a of args) {
    if (a === "--") return false;
    if (a === "--help" || a === "-h") return true;
  }
  return false;
}
