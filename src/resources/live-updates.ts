// Drives resource notifications from the database, not from polling: one LIVE query on jobs and
// one on episodes per server process. A job change updates podcast://jobs/<id> and its episode's
// URIs; an episode created or deleted changes the list.
import type { Logger } from "../log.js";
import type { PodcastService } from "../podcasts/service.js";
import type { SubscriptionHub } from "./subscriptions.js";
import { EPISODES_URI, uriVariants } from "./uris.js";

export async function startLiveUpdates(
  podcasts: PodcastService,
  hub: SubscriptionHub,
  log: Logger,
): Promise<() => Promise<void>> {
  const stopJobs = await podcasts.watchJobs((job) => {
    hub.updated(uriVariants("jobs", job.job_id));
    if (job.episode_id) hub.updated(uriVariants("episodes", job.episode_id));
  });
  const stopEpisodes = await podcasts.watchEpisodeList(() => {
    hub.updated([EPISODES_URI]);
    hub.listChanged();
  });
  log.debug("live updates started");
  return async () => {
    await stopJobs();
    await stopEpisodes();
  };
}
