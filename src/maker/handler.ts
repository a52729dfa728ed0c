// The worker's handler for `generate_podcast`. The pipeline (Flite's and LAME's WASM modules, the
// audio code) is imported on the first job a worker claims, not when the worker starts: an idle
// worker stays small (see the idle footprint in `npm run bench`).
import type { Config } from "../config.js";
import type { Db } from "../db/connect.js";
import type { Logger } from "../log.js";
import type { CommandHandler } from "../queue/command.js";
import type { GeneratePodcastArgs } from "../podcasts/commands.js";
import type { EpisodeRunResult } from "./run-episode.js";

export function generatePodcastHandler(deps: {
  db: Db;
  config: Config;
  log: Logger;
}): CommandHandler<GeneratePodcastArgs, EpisodeRunResult> {
  // One runner per worker process: the TTS engines' concurrency limits are per process.
  let runner: Promise<import("./run-episode.js").EpisodeRunner> | undefined;
  return async (args, ctx) => {
    runner ??= import("./run-episode.js").then((m) => m.createEpisodeRunner(deps));
    return (await runner).run(args.episode_id, {
      signal: ctx.signal,
      log: ctx.log,
      fence: ctx.fence,
      progress: (fraction, stage, message) => ctx.progress(fraction, stage, message),
    });
  };
}
