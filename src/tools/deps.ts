// What every tool and resource may reach: the podcast service (domain + queue), config and a logger.
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import type { PodcastService } from "../podcasts/service.js";

export interface ToolDeps {
  podcasts: PodcastService;
  config: Config;
  log: Logger;
}
