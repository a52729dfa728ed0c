#!/usr/bin/env node
// Entry point. Each subcommand lives beside the part it belongs to and is loaded lazily, so the
// stdio server does not pay for the pipeline's WASM modules and the worker does not load MCP.
import { ConfigError, loadConfig, type Config } from "./config.js";

export type CommandMain = (args: string[], config: Config) => Promise<number | void>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandMain> }> = {
  serve: { summary: "MCP server (stdio by default; --http [--host H] [--port P] for Streamable HTTP)", load: async () => (await import("./server-cli.js")).main },
  worker: { summary: "run queued jobs from SURREAL_URL or the local DB host", load: async () => (await import("./worker/cli.js")).main },
  daemon: { summary: "local DB host + supervised workers (what `serve` starts when needed)", load: async () => (await import("./worker/daemon-cli.js")).main },
  generate: { summary: "make one episode in-process: generate <file|text|url>… [--profile P] [--name N]", load: async () => (await import("./maker/generate-cli.js")).main },
  stop: { summary: "stop the local daemon: running jobs finish within the grace period or go back to the queue", load: async () => (await import("./worker/stop-cli.js")).main },
  doctor: { summary: "check config, database, providers and voices", load: async () => (await import("./doctor.js")).main },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `Usage: podcast-mcp [command] [options]\n\nCommands (default: serve):\n${lines.join("\n")}\n\nConfiguration is read from the environment; see the README.\n`;
}

/** Flags every command accepts: --data-dir, --surreal-url, --log-level. The rest go to the command. */
function splitCommonFlags(argv: string[]): { rest: string[]; overrides: Parameters<typeof loadConfig>[1] } {
  const rest: string[] = [];
  const overrides: NonNullable<Parameters<typeof loadConfig>[1]> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === "--data-dir") overrides.dataDir = value();
    else if (flag === "--surreal-url") overrides.surrealUrl = value();
    else if (flag === "--log-level") overrides.logLevel = value() as never;
    else rest.push(a);
  }
  return { rest, overrides };
}

async function run(argv: string[]): Promise<number> {
  const first = argv[0];
  if (first === "--help" || first === "-h" || first === "help") {
    process.stderr.write(usage());
    return 0;
  }
  if (first === "--version" || first === "-v") {
    const { createRequire } = await import("node:module");
    process.stderr.write(`${createRequire(import.meta.url)("../package.json").version}\n`);
    return 0;
  }
  const name = first && !first.startsWith("-") ? first : "serve";
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`Unknown command: ${name}\n\n${usage()}`);
    return 2;
  }
  const { rest, overrides } = splitCommonFlags(first === name ? argv.slice(1) : argv);
  let config: Config;
  try {
    config = loadConfig(process.env, overrides);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const main = await cmd.load();
  return (await main(rest, config)) ?? 0;
}

run(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`podcast-mcp: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
