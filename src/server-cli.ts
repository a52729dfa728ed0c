// `podcast-mcp [serve] [--http [--host H] [--port P]]`: the MCP server. stdio by default (what an
// MCP client launches); Streamable HTTP with --http. It never runs the pipeline: it validates,
// writes records, submits jobs and reads state.
import { STDIO_DEFAULT_MAX_BUFFER_SIZE } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { usageError } from "./cli/usage.js";
import type { Config } from "./config.js";
import { createLogger } from "./log.js";
import { AppError, errorMessage } from "./errors.js";
import { parseFlags, wholeNumber } from "./cli/args.js";
import { connectOrStartDaemon, watchLocalDaemon } from "./daemon-client.js";
import { migrate } from "./db/index.js";
import { MIGRATIONS } from "./schema.js";
import { Queue } from "./queue/queue.js";
import { CommandRegistry } from "./queue/command.js";
import { PODCAST_COMMANDS } from "./podcasts/commands.js";
import { PodcastService } from "./podcasts/service.js";
import { createProviders, createVoiceCheck } from "./providers/index.js";
import { SubscriptionHub } from "./resources/subscriptions.js";
import { startLiveUpdates } from "./resources/live-updates.js";
import { buildMcpServer, type ServerDeps } from "./server.js";
import { openArtifactStore } from "./artifacts/open.js";
import { startHttpServer } from "./http/app.js";
import { decideExposure } from "./http/guard.js";
import { publicBaseUrl } from "./http/public-url.js";
import { ClientSessions } from "./sampling/sessions.js";
import { startSamplingResponder } from "./sampling/responder.js";

interface ServeArgs {
  http: boolean;
  host: string;
  port: number;
}

export function parseServeArgs(args: string[]): ServeArgs {
  const { values } = parseFlags("serve", args, {
    http: { type: "boolean" },
    stdio: { type: "boolean" },
    host: { type: "string" },
    port: { type: "string" },
  });
  if (values.http && values.stdio) throw new AppError("invalid_input", "--http and --stdio: choose one");
  const port = wholeNumber("--port", values.port, 0, 65535) ?? 3333;
  return { http: values.http ?? false, host: values.host ?? "127.0.0.1", port };
}

export async function main(args: string[], config: Config): Promise<number> {
  const log = createLogger({ level: config.logLevel, file: config.logFile, name: "server" });
  let opts: ServeArgs;
  const sampling = config.sampling;
  try {
    opts = parseServeArgs(args);
  } catch (err) {
    process.stderr.write(usageError("serve", errorMessage(err)));
    return 2;
  }
  if (opts.http) {
    const exposure = decideExposure({ host: opts.host, token: config.httpToken, allowedHosts: config.allowedHosts });
    if (!exposure.ok) {
      process.stderr.write(`${exposure.message}\n`);
      return 2;
    }
    // Reachable from other machines: no local files as sources, no URLs on private networks.
    if (exposure.exposure === "remote") {
      config = { ...config, exposure: "remote" };
      log.info({ reason: exposure.reason }, "remote exposure: token required, local files and private URLs refused");
    }
  }

  const db = await connectOrStartDaemon(config, log);
  const stopWatchdog = config.surrealUrl ? () => {} : watchLocalDaemon(db, config, log);
  await migrate(db, MIGRATIONS);
  const queue = new Queue(db, new CommandRegistry(PODCAST_COMMANDS));
  const checkVoices = createVoiceCheck(config, createProviders(config, log));
  const artifacts = openArtifactStore(config.artifacts, config.dataDir, log);
  const podcasts = new PodcastService({ db, queue, config, log, checkVoices, artifacts });
  await podcasts.init();
  const sessions = new ClientSessions();
  const deps: ServerDeps = { podcasts, log, sessions };
  const hub = new SubscriptionHub(log);
  const stopLive = await startLiveUpdates(podcasts, hub, log);
  // Workers' sampling requests for this process's sessions are answered here.
  const stopSampling = await startSamplingResponder(db, sessions, sampling, log);

  let closeTransport: () => Promise<void>;
  if (opts.http) {
    const http = await startHttpServer(deps, hub, {
      host: opts.host,
      port: opts.port,
      token: config.httpToken,
      allowedHosts: config.allowedHosts,
      sessionLimits: config.httpSessions,
      redirectSeconds: config.artifactRedirectSeconds,
    });
    // Resources point to the HTTP routes for files too large for an MCP message.
    deps.httpBaseUrl = publicBaseUrl(http.url);
    deps.httpTokenQuery = config.httpToken ? `?token=${encodeURIComponent(config.httpToken)}` : "";
    log.info({ url: `${http.url}/mcp` }, "MCP over Streamable HTTP");
    process.stderr.write(`podcast-mcp listening on ${http.url}/mcp\n`);
    closeTransport = http.close;
  } else {
    const handle = serveStdio((ctx) => buildMcpServer(deps, hub, ctx.era), {
      onerror: (err) => {
        // A line over the transport's 10 MiB buffer closes the transport but not stdin: the process
        // would live on, deaf. There is no request id to answer, so leave, saying why.
        if (/ReadBuffer exceeded maximum size/.test(err.message)) {
          log.error(
            { limitBytes: STDIO_DEFAULT_MAX_BUFFER_SIZE },
            "a message from the MCP client was larger than the stdio limit; exiting",
          );
          process.stderr.write(
            `podcast-mcp: a message from the MCP client was larger than ${STDIO_DEFAULT_MAX_BUFFER_SIZE / 1024 / 1024} MiB; exiting\n`,
          );
          process.exitCode = 1;
          void shutdown("message too large");
        } else log.debug({ err }, "stdio");
      },
    });
    closeTransport = handle.close;
    // The client closing stdin ends the session: exit rather than linger holding a connection.
    process.stdin.once("end", () => void shutdown("stdin closed"));
  }

  let stopping = false;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  async function shutdown(reason: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, "shutting down");
    await closeTransport().catch(() => {});
    stopWatchdog();
    await stopLive().catch(() => {});
    await podcasts.close().catch(() => {});
    await stopSampling().catch(() => {});
    await db.close().catch(() => {});
    await artifacts.close().catch(() => {});
    resolveDone();
  }
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
  await done;
  return 0;
}
