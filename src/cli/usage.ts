// The help each command prints, in one file with no imports, so `podcast-mcp <command> --help`
// loads nothing else (the pipeline's WASM modules take seconds to load).

const COMMON = `Options every command takes:
  --data-dir DIR       where the database, episodes and logs live (PODCAST_MCP_DATA_DIR)
  --surreal-url URL    a SurrealDB server instead of the local store (SURREAL_URL)
  --log-level LEVEL    print logs on stderr at this level: fatal, error, warn, info, debug, trace (LOG_LEVEL);
                       LOG_FILE=path writes them to a file instead
  -h, --help           this help`;

export const COMMAND_USAGE = {
  serve: `Usage: podcast-mcp [serve] [--http [--host H] [--port P]]

The MCP server: stdio by default (what an MCP client starts), Streamable HTTP with --http.
It finds or starts the local daemon (database + workers) in the data dir.

Options:
  --http               serve Streamable HTTP instead of stdio
  --stdio              serve stdio (the default)
  --host H             address to listen on with --http (default 127.0.0.1)
  --port P             port to listen on with --http, 0 for any free port (default 3333)
`,
  worker: `Usage: podcast-mcp worker [--concurrency N]

Runs queued jobs from SURREAL_URL or the local DB host until SIGTERM or Ctrl-C, then finishes or
hands back its running jobs within the grace period (PODCAST_MCP_GRACE_MS).

Options:
  --concurrency N      jobs at once, 1 to 64 (default PODCAST_MCP_CONCURRENCY)
`,
  daemon: `Usage: podcast-mcp daemon [--workers N]

The local database host and N supervised workers, in the foreground; \`serve\` starts one in the
background when none runs. Stops on Ctrl-C or SIGTERM (\`podcast-mcp stop\`), or by itself after
PODCAST_MCP_IDLE_EXIT with nothing to do.

Options:
  --workers N          worker processes, 0 to 64 (default PODCAST_MCP_WORKERS)
`,
  generate: `Usage: podcast-mcp generate <file|text|url>... [options]

Makes one episode in this process and prints the MP3's path on stdout (and nothing else there),
so \`mpv "$(podcast-mcp generate notes.md)"\` plays it. Progress and warnings go to stderr.
Each argument is a source: an existing file (.txt, .md, .html, .pdf, .docx, .epub), an http(s) URL,
or literal text; after -- every argument is literal text.

Options:
  --profile NAME       episode profile (default: PODCAST_MCP_DEFAULT_PROFILE, tech_discussion)
  --speakers NAME      speaker profile (default: the episode profile's)
  --name TITLE         episode title (default: the first source's title or first words)
  --briefing TEXT      extra instructions added to the profile's briefing
  --language TAG       BCP 47 language (default: the profile's)
`,
  stop: `Usage: podcast-mcp stop

Stops the local daemon of the data dir: running jobs finish within the grace period
(PODCAST_MCP_GRACE_MS) or go back to the queue. Exit 0 once no daemon runs (also when none ran).
`,
  doctor: `Usage: podcast-mcp doctor

Checks what this install would use: config, database, script writer, voices, logs; speaks one
sentence with the built-in voice. Exit 0 when every check passes.
`,
  "db-host": `Usage: node dist/db/host-cli.js [--port N]

The local DB host alone, in the foreground (the daemon runs one itself). Configuration comes from
the environment (PODCAST_MCP_DATA_DIR, LOG_LEVEL, LOG_FILE).

Options:
  --port N             port on 127.0.0.1, 0 for any free port (default: the last one, when free)
  -h, --help           this help
`,
} as const;

export type CommandName = keyof typeof COMMAND_USAGE;

/** The whole help of a command: its own part, then the options every command takes. */
export function commandHelp(name: CommandName): string {
  // The DB host's entry is not started through cli.ts, so the common flags do not reach it.
  return name === "db-host" ? COMMAND_USAGE[name] : `${COMMAND_USAGE[name]}\n${COMMON}\n`;
}

/** A usage error as printed before exit code 2: what is wrong, then where to read more. */
export function usageError(name: CommandName, message: string): string {
  const cmd = name === "db-host" ? "node dist/db/host-cli.js" : `podcast-mcp ${name}`;
  return `${cmd}: ${message}\nRun "${cmd} --help" for its options.\n`;
}
