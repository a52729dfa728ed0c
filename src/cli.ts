#!/usr/bin/env node
// Entry point. Each subcommand lives beside the part it belongs to and is loaded lazily, so the
// stdio server does not pay for the pipeline's WASM modules and the worker does not load MCP.
// Help is answered here from src/cli/usage.ts, before any command is loaded.
import { wantsHelp } from "./cli/args.js";
import { splitCommonFlags, UsageError } from "./cli/common-flags.js";
import { commandHelp, type CommandName } from "./cli/usage.js";
import { ConfigError, loadConfig, type Config } from "./config.js";

export type CommandMain = (args: string[], config: Config) => Promise<number | undefined>;

type Command = Exclude<CommandName, "db-host">;

const COMMANDS: Record<Command, { summary: string; load: () => Promise<CommandMain> }> = {
  serve: {
    summary: "MCP server (stdio by default; --http [--host H] [--port P] for Streamable HTTP)",
    load: async () => (await import("./server-cli.js")).main,
  },
  worker: {
    summary: "run queued jobs from SURREAL_URL or the local DB host",
    load: async () => (await import("./worker/cli.js")).main,
  },
  daemon: {
    summary: "local DB host + supervised workers (what `serve` starts when needed)",
    load: async () => (await import("./worker/daemon-cli.js")).main,
  },
  generate: {
    summary: "make one episode in-process: generate <file|text|url>… [--profile P] [--name N]",
    load: async () => (await import("./maker/generate-cli.js")).main,
  },
  stop: {
    summary: "stop the local daemon: running jobs finish within the grace period or go back to the queue",
    load: async () => (await import("./worker/stop-cli.js")).main,
  },
  doctor: {
    summary: "check config, database, providers and voices",
    load: async () => (await import("./doctor.js")).main,
  },
};

const isCommand = (name: string | undefined): name is Command => name !== undefined && Object.hasOwn(COMMANDS, name);

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `Usage: podcast-mcp [command] [options]

Commands (default: serve):
${lines.join("\n")}

"podcast-mcp <command> --help" shows a command's options. Configuration is read from the
environment (see the README); --data-dir, --surreal-url and --log-level work with every command.
`;
}

async function run(argv: string[]): Promise<number> {
  const first = argv[0];
  if (first === "--help" || first === "-h" || (first === "help" && argv.length === 1)) {
    process.stdout.write(usage());
    return 0;
  }
  if (first === "help") {
    if (!isCommand(argv[1])) {
      process.stderr.write(`Unknown command: ${argv[1]}\n\n${usage()}`);
      return 2;
    }
    process.stdout.write(commandHelp(argv[1]));
    return 0;
  }
  if (first === "--version" || first === "-v") {
    const { createRequire } = await import("node:module");
    process.stdout.write(`${createRequire(import.meta.url)("../package.json").version}\n`);
    return 0;
  }
  const name = first && !first.startsWith("-") ? first : "serve";
  if (!isCommand(name)) {
    process.stderr.write(`Unknown command: ${name}\n\n${usage()}`);
    return 2;
  }
  const args = first === name ? argv.slice(1) : argv;
  if (wantsHelp(args)) {
    process.stdout.write(commandHelp(name));
    return 0;
  }
  let split: ReturnType<typeof splitCommonFlags>;
  let config: Config;
  try {
    split = splitCommonFlags(args);
    config = loadConfig(process.env, split.overrides);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  // A level given as a flag is a request for logs (src/log.ts logsRequested), also in the processes
  // this one starts: the daemon's workers and the daemon that `serve` starts read the environment.
  if (split.overrides.logLevel) process.env.LOG_LEVEL = split.overrides.logLevel;
  const main = await COMMANDS[name].load();
  return (await main(split.rest, config)) ?? 0;
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
