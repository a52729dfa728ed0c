// `podcast-mcp generate <file|text|url>… [--profile P] [--speakers S] [--name N] [--briefing B] [--language L]`:
// one episode made in this process, no queue and no daemon. It uses the local DB host when one
// runs (the store is locked to it), else opens the embedded store in the data dir itself. Stdout
// carries the MP3 path and nothing else, so `mpv "$(podcast-mcp generate notes.md)"` works.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { Config } from "../config.js";
import { connect, connectFromConfig, migrate, readHostState, type Db } from "../db/index.js";
import { AppError, errorKind, errorMessage } from "../errors.js";
import { createLogger } from "../log.js";
import { EpisodeStore } from "../podcasts/episode-store.js";
import { prepareEpisode } from "../podcasts/prepare-episode.js";
import { seedProfiles } from "../podcasts/seed.js";
import type { SourceInput } from "../podcasts/validation.js";
import { createProviders, createVoiceCheck } from "../providers/index.js";
import { MIGRATIONS } from "../schema.js";
import { createProgressBar } from "./progress-bar.js";
import { createEpisodeRunner } from "./run-episode.js";

const USAGE = `Usage: podcast-mcp generate <file|text|url>... [options]

Makes one episode in this process and prints the MP3's path on stdout.
Each argument is a source: an existing file (.txt, .md, .html, .pdf, .docx, .epub), an http(s) URL, or literal text.

Options:
  --profile NAME     episode profile (default: PODCAST_MCP_DEFAULT_PROFILE, tech_discussion)
  --speakers NAME    speaker profile (default: the episode profile's)
  --name TITLE       episode title (default: the first source's title or first words)
  --briefing TEXT    extra instructions added to the profile's briefing
  --language TAG     BCP 47 language (default: the profile's)
  --data-dir DIR     where the database and episodes live
`;

export interface GenerateArgs {
  sources: SourceInput[];
  profile: string | undefined;
  speakers: string | undefined;
  name: string | undefined;
  briefing: string | undefined;
  language: string | undefined;
  help: boolean;
}

/** An existing file → file source; http(s):// → URL; anything else → literal text. */
export function classifySource(arg: string, cwd = process.cwd()): SourceInput {
  if (/^https?:\/\//i.test(arg)) return { url: arg };
  const file = path.resolve(cwd, arg);
  if (arg.length < 4096 && existsSync(file) && statSync(file).isFile()) return { file };
  return { text: arg };
}

export function parseGenerateArgs(args: string[]): GenerateArgs {
  const out: GenerateArgs = { sources: [], profile: undefined, speakers: undefined, name: undefined, briefing: undefined, language: undefined, help: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === "") throw new AppError("invalid_input", `${flag}: needs a value`, { field: flag });
      return v;
    };
    if (flag === "--help" || flag === "-h") out.help = true;
    else if (flag === "--profile") out.profile = value();
    else if (flag === "--speakers") out.speakers = value();
    else if (flag === "--name") out.name = value();
    else if (flag === "--briefing") out.briefing = value();
    else if (flag === "--language") out.language = value();
    else if (flag === "--") out.sources.push(...args.splice(i + 1).map((x) => classifySource(x)));
    else if (flag.startsWith("--")) throw new AppError("invalid_input", `unknown option for generate: ${flag}`, { field: flag });
    else out.sources.push(classifySource(a));
  }
  return out;
}

/** The local host when one runs (it holds the store's lock), SURREAL_URL when set, else the embedded store. */
async function openDb(config: Config): Promise<Db> {
  if (config.surrealUrl || (await readHostState(config.dataDir))) return connectFromConfig(config);
  return connect({ url: `rocksdb://${path.join(config.dataDir, "db")}`, namespace: config.namespace, database: config.database });
}

export async function main(args: string[], config: Config): Promise<number> {
  let parsed: GenerateArgs;
  try {
    parsed = parseGenerateArgs(args);
  } catch (err) {
    process.stderr.write(`podcast-mcp generate: ${errorMessage(err)}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    process.stderr.write(USAGE);
    return 0;
  }
  if (parsed.sources.length === 0) {
    process.stderr.write(`podcast-mcp generate: give at least one source (a file, a URL or text)\n\n${USAGE}`);
    return 2;
  }

  const log = createLogger({ level: config.logLevel, file: config.logFile, name: "generate" });
  const abort = new AbortController();
  const onSignal = () => abort.abort(new AppError("canceled", "interrupted"));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const bar = createProgressBar();
  let db: Db | undefined;
  try {
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
    const id = await new EpisodeStore(db).create(prepared.episode);
    const runner = createEpisodeRunner({ db, config, log, providers });
    const result = await runner.run(String(id.id), { signal: abort.signal, progress: (f, stage, msg) => bar.update(f, stage, msg), log });
    bar.done(`done: ${result.duration.toFixed(1)} s episode ${result.episode_id}`);
    process.stdout.write(`${result.audio_file}\n`);
    return 0;
  } catch (err) {
    const kind = errorKind(err);
    bar.done(`podcast-mcp generate: ${kind === "internal" && !(err instanceof AppError) ? (err as Error).stack ?? errorMessage(err) : errorMessage(err)}`);
    return kind === "canceled" ? 130 : kind === "invalid_input" || kind === "not_found" ? 2 : 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await db?.close().catch(() => {});
    // The embedded engine can keep the event loop alive after close (seen on a fresh store after
    // DEFINE INDEX, @surrealdb/node 3.0.3). A one-shot command must end: exit with the code the
    // CLI entry sets, unless the loop ends by itself first (the timer is unref'd). Only when this
    // process is the CLI, never when main() is called from a test runner or another program.
    if (path.basename(process.argv[1] ?? "") === "cli.js" && process.argv.includes("generate")) setTimeout(() => process.exit(), 1_000).unref();
  }
}
