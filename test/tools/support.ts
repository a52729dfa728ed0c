// Tools without MCP: each tool's whole call (runTool: parse, service, output) against the real
// service of test/podcasts/support.ts (embedded SurrealDB, the real queue, built-in engines).
import { AppError } from "../../src/errors.js";
import { silentLogger } from "../../src/log.js";
import { runTool, type ToolDef } from "../../src/tools/define.js";
import type { ToolDeps } from "../../src/tools/deps.js";
import { TOOLS } from "../../src/tools/index.js";
import { useSetup, type Setup } from "../podcasts/support.js";

export interface ToolHarness {
  readonly s: Setup;
  readonly deps: ToolDeps;
  /** The tool's structured result, as tools/call would put it in structuredContent. */
  call<T = Record<string, unknown>>(name: string, args: unknown): Promise<T>;
  /** The AppError the call threw (the test fails if it did not throw one). */
  refused(name: string, args: unknown): Promise<{ kind: string; field: string | undefined; message: string }>;
}

export function tool(name: string): ToolDef {
  const found = TOOLS.find((t) => t.name === name);
  if (!found) throw new Error(`no tool named ${name}`);
  return found;
}

const CALL = { signal: new AbortController().signal, progress: async () => {} };

/** A setup for the whole file (fresh data dir and database, closed afterwards) and calls into it. */
export function useTools(): ToolHarness {
  let setup: Setup | undefined;
  useSetup((v) => (setup = v));
  const h: ToolHarness = {
    get s() {
      if (!setup) throw new Error("the setup is not ready yet");
      return setup;
    },
    get deps() {
      return { podcasts: h.s.service, log: silentLogger };
    },
    call: async <T>(name: string, args: unknown) => (await runTool(tool(name), args, h.deps, CALL)) as T,
    refused: async (name, args) => {
      try {
        await runTool(tool(name), args, h.deps, CALL);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return { kind: err.kind, field: err.field, message: err.message };
      }
      throw new Error(`${name} accepted ${JSON.stringify(args).slice(0, 200)}`);
    },
  };
  return h;
}
