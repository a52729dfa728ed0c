// Profiles as generate_podcast reads them, kept in memory: every submission reads its episode and
// speaker profiles, and profiles change rarely. Measured, each read is a round trip to the DB host
// (1-2 ms at p50, more with busy workers), two per submission. Entries are dropped on any change
// of either table (a LIVE query, so saves made by another server process count too) and expire after
// TTL_MS anyway, because LIVE notifications are not replayed after a reconnect.
import { Table, type LiveSubscription } from "surrealdb";
import type { Db } from "../db/index.js";
import type { Logger } from "../log.js";
import {
  getEpisodeProfile,
  getSpeakerProfile,
  type StoredEpisodeProfile,
  type StoredSpeakerProfile,
} from "./profiles.js";

const TTL_MS = 5_000;

interface Entry<T> {
  at: number;
  value: Promise<T>;
}

export class ProfileCache {
  readonly #db: Db;
  readonly #log: Logger;
  readonly #episode = new Map<string, Entry<StoredEpisodeProfile>>();
  readonly #speaker = new Map<string, Entry<StoredSpeakerProfile>>();
  #lives: LiveSubscription[] = [];

  constructor(db: Db, log: Logger) {
    this.#db = db;
    this.#log = log;
  }

  /** Subscribes to profile changes; without it the cache still holds entries for TTL_MS only. */
  async start(): Promise<void> {
    for (const table of ["episode_profile", "speaker_profile"]) {
      try {
        const live = await this.#db.live(new Table(table));
        live.subscribe(() => this.clear());
        this.#lives.push(live);
      } catch (err) {
        this.#log.debug({ err, table }, "profile cache: no LIVE query; entries expire by time only");
      }
    }
  }

  async stop(): Promise<void> {
    for (const live of this.#lives.splice(0)) await live.kill().catch(() => undefined);
  }

  clear(): void {
    this.#episode.clear();
    this.#speaker.clear();
  }

  episodeProfile(name: string, field: string): Promise<StoredEpisodeProfile> {
    return this.#get(this.#episode, `${field}\u0000${name}`, () => getEpisodeProfile(this.#db, name, field));
  }

  speakerProfile(name: string, field: string): Promise<StoredSpeakerProfile> {
    return this.#get(this.#speaker, `${field}\u0000${name}`, () => getSpeakerProfile(this.#db, name, field));
  }

  #get<T>(map: Map<string, Entry<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const hit = map.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
    const value = load();
    map.set(key, { at: Date.now(), value });
    // A failed read (a missing profile, a lost connection) is not kept: the next call reads again.
    value.catch(() => map.get(key)?.value === value && map.delete(key));
    return value;
  }
}
