// The flags every command takes (--data-dir, --surreal-url, --log-level), taken out of the command
// line before the command sees the rest. In its own file so it can be tested: importing cli.ts runs it.
import { parseArgs } from "node:util";
import { LOG_LEVELS, type ConfigOverrides } from "../config.js";

/** A command line that cannot work: printed as it is, exit code 2. */
export class UsageError extends Error {}

/**
 * Flags every command accepts: --data-dir, --surreal-url, --log-level. They are taken out wherever
 * they stand (before a `--`); every other argument goes to the command as written, in order.
 */
export function splitCommonFlags(argv: string[]): { rest: string[]; overrides: ConfigOverrides } {
  const { tokens } = parseArgs({
    args: argv,
    options: { "data-dir": { type: "string" }, "surreal-url": { type: "string" }, "log-level": { type: "string" } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const taken = new Set<number>();
  const overrides: ConfigOverrides = {};
  for (const t of tokens) {
    if (t.kind !== "option" || !["data-dir", "surreal-url", "log-level"].includes(t.name)) continue;
    const value = t.value;
    if (value === undefined || value === "" || (!t.inlineValue && value.startsWith("-"))) {
      throw new UsageError(`--${t.name}: needs a value`);
    }
    taken.add(t.index);
    if (!t.inlineValue) taken.add(t.index + 1);
    if (t.name === "data-dir") overrides.dataDir = value;
    else if (t.name === "surreal-url") overrides.surrealUrl = value;
    else {
      const level = LOG_LEVELS.find((l) => l === value);
      if (!level) {
        throw new UsageError(`--log-level: must be one of ${LOG_LEVELS.join(", ")} (got ${JSON.stringify(value)})`);
      }
      overrides.logLevel = level;
    }
  }
  return { rest: argv.filter((_, i) => !taken.has(i)), overrides };
}
