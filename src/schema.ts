// Every migration of every part, in one ordered list: queue 100-199, podcasts 200-299, sampling 300-399.
import { allMigrations, type Migration } from "./db/index.js";
import { queueMigrations } from "./queue/schema.js";
import { podcastMigrations } from "./podcasts/schema.js";
import { samplingMigrations } from "./sampling/schema.js";

export const MIGRATIONS: Migration[] = allMigrations([queueMigrations, podcastMigrations, samplingMigrations]);
