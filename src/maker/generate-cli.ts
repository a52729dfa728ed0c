// `podcast-mcp generate <file|text|url>… [--profile P] [--speakers S] [--name N] [--briefing B] [--language L]`:
// one episode made in this process, no queue and no daemon. It uses the local DB host when one
// runs (the store is locked to it), else opens the embedded store in the data dir itself. Stdout
// carries the MP3 path and nothing else, so `mpv "$(podcast-mcp generate notes.md)"` works.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { parseFlags } from "../cli/args.js";
import { createConsoleLogger } from "../cli/plain-log.js";
import { createStatusLine, createStyle } from "../cli/terminal.js";
import { formatClock, formatSeconds } from "../cli/time-left.js";
import { usageError } from "../cli/usage.js";
import type { Config } from "../config.js";
import { connect, connectFromConfig, migrate, readHostState, type Db } from "../db/index.js";
import { AppError, errorKind, errorMessage } from "../errors.js";
import { EpisodeStore } from "../podcasts/episode-store.js";
import { prepareEpisode } from "../podcasts/prepare-episode.js";
import { seedProfiles } from "../podcasts/seed.js";
import type { SourceInput } from "../podcasts/validation.js";
import { createProviders, createVoiceCheck } from "../providers/index.js";
import { MIGRATIONS } from "../schema.js";
import { createProgressBar } from "./progress-bar.js";
import { createEpisodeRunner } from "./run-episode.js";

export interface GenerateArgs {
  sources: SourceInput[];
  profile: string | undefined;
  speakers: string | undefined;
  name: string | undefined;
  briefing: string | undefined;
  language: string | undefined;
}

const FLAGS = {
  profile: { type: "string" },
  speakers: { type: "string" },
  name: { type: "string" },
  briefing: { type: "string" },
  language: { type: "string" },
} as const;

/** An existing file → file source; http(s):// → URL; anything else → literal text. */
export function classifySource(arg: string, cwd = process.cwd()): SourceInput {
  if (/^https?:\/\//i.test(arg)) return { url: arg };
  const file = path.resolve(cwd, arg);
  if (arg.length < 4096 && existsSync(file) && statSync(file).isFile()) return { file };
  return { text: arg };
}

/** The command's arguments (--help is answered by cli.ts before this runs); throws invalid_input. */
export function parseGenerateArgs(args: string[], cwd = process.cwd()): GenerateArgs {
  const { values, positionals } = parseFlags("generate", args, FLAGS, { positionals: true });
  return {
    sources: positionals.map((a) => classifySource(a, cwd)),
    profile: values.profile,
    speakers: values.speakers,
    name: values.name,
    briefing: values.briefing,
    language: values.language,
  };
}

/** The local host when one runs (it holds the store's lock), SURREAL_URL when set, else the embedded store. */
async function openDb(config: Config): Promise<Db> {
  if (config.surrealUrl || (await readHostState(config.dataDir))) return connectFromConfig(config);
  return connect({
    url: `rocksdb://${path.join(config.dataDir, "db")}`,
    namespace: config.namespace,
    database: config.database,
  });
}

/** The warning the pipeline logs as it stops: the error that stopped it is this command's last line. */
const PIPELINE_STOPPED = "pipeline: stopped";

/** Exit codes: 2 for what the person can fix in the command line or input, 130 for Ctrl-C. */
function exitCode(err: unknown): number {
  const kind = errorKind(err);
  return kind === "canceled" ? 130 : kind === "invalid_input" || kind === "not_found" ? 2 : 1;
}

export async function main(args: string[], config: Config): Promise<number> {
  let parsed: GenerateArgs;
  try {
    parsed = parseGenerateArgs(args);
  } catch (err) {
    process.stderr.write(usageError("generate", errorMessage(err)));
    return 2;
  }
  if (parsed.sources.length === 0) {
    process.stderr.write(usageError("generate", "give at least one source (a file, a URL or text)"));
    return 2;
  }

  const started = Date.now();
  const line = createStatusLine(process.stderr);
  const style = createStyle(line.terminal);
  const log = createConsoleLogger({ config, name: "generate", line, style, skip: (r) => r.msg === PIPELINE_STOPPED });
  const abort = new AbortController();
  const onSignal = () => abort.abort(new AppError("canceled", "interrupted"));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const bar = createProgressBar(line);
  let db: Db | undefined;
  try {
    const count = parsed.sources.length;
    bar.update(0, "sources", `reading ${count === 1 ? "the source" : `${count} sources`}`);
    db = await openDb(config);
    await migrate(db, MIGRATIONS);
    await seedProfiles(db);
    const providers = createProviders(config, log);
    const prepared = await prepareEpisode(db, config, createVoiceCheck(config, providers), {
      ...(parsed.profile ? { episode_profile: parsed.profile } : {}),
      ...(parsed.name ? { episode_name: parsed.name } : {}),
      sources: parsed.sources,
      ...(parsed.speakers ? { speaker_profile: parsed.speakers } : {}),
      ...(parsed.briefing ? { briefing_suffix: parsed.briefing } : {}),
      ...(parsed.language ? { language: parsed.language } : {}),
    });
    const ep = prepared.episode;
    const speakers = ep.speaker_profile.speakers.map((s) => s.name).join(", ");
    const profile = `${ep.episode_profile.name}${prepared.defaultProfile ? " (the default profile)" : ""}`;
    line.print(`"${ep.name}": ${profile}, spoken by ${speakers}`);
    const id = await new EpisodeStore(db).create(ep);
    const runner = createEpisodeRunner({ db, config, log, providers });
    const progress = (f: number, stage: string, msg: string) => bar.update(f, stage, msg);
    const result = await runner.run(String(id.id), { signal: abort.signal, progress, log });
    const took = formatSeconds((Date.now() - started) / 1000);
    bar.done(`${style.ok("done")}: ${formatClock(result.duration)} of audio in ${took} (${result.episode_id})`);
    process.stdout.write(`${result.audio_file}\n`);
    return 0;
  } catch (err) {
    // An AppError's message is written for a person; anything else is a bug, worth its stack.
    const bug = errorKind(err) === "internal" && !(err instanceof AppError) && err instanceof Error;
    const text = bug ? (err.stack ?? err.message) : errorMessage(err);
    bar.done(`${style.bad("podcast-mcp generate")}: ${text}`);
    return exitCode(err);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await db?.close().catch(() => {});
    // The embedded engine can keep the event loop alive after close (seen on a fresh store after
    // DEFINE INDEX, @surrealdb/node 3.0.3). A one-shot command must end: exit with the code the
    // CLI entry sets, unless the loop ends by itself first (the timer is unref'd). Only when this
    // process is the CLI, never when main() is called from a test runner or another program.
    if (path.basename(process.argv[1] ?? "") === "cli.js" && process.argv.includes("generate"))
      setTimeout(() => process.exit(), 1_000).unref();
  }
}
