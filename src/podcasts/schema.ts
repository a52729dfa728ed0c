// The podcast domain's tables (migration ids 200-299). SCHEMAFULL everywhere: a field not defined
// here is dropped, a wrong type is refused by the database itself. Values the pipeline owns
// (checkpoints, profile copies, outline) are FLEXIBLE objects: their shape is checked in code.
import { LLM_PROVIDERS, TTS_PROVIDERS, sqlList } from "../core/enums.js";
import type { Migration } from "../db/index.js";

const profiles = `
DEFINE TABLE OVERWRITE speaker_profile SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS name ON speaker_profile TYPE string;
DEFINE FIELD IF NOT EXISTS description ON speaker_profile TYPE string DEFAULT "";
DEFINE FIELD IF NOT EXISTS tts_provider ON speaker_profile TYPE string ASSERT $value IN ${sqlList(TTS_PROVIDERS)};
DEFINE FIELD IF NOT EXISTS tts_model ON speaker_profile TYPE string DEFAULT "";
DEFINE FIELD IF NOT EXISTS speakers ON speaker_profile TYPE array<object> ASSERT array::len($value) >= 1 AND array::len($value) <= 4;
DEFINE FIELD IF NOT EXISTS speakers.*.name ON speaker_profile TYPE string;
DEFINE FIELD IF NOT EXISTS speakers.*.voice_id ON speaker_profile TYPE string;
DEFINE FIELD IF NOT EXISTS speakers.*.backstory ON speaker_profile TYPE string DEFAULT "";
DEFINE FIELD IF NOT EXISTS speakers.*.personality ON speaker_profile TYPE string DEFAULT "";
DEFINE FIELD IF NOT EXISTS speakers.*.tts_provider ON speaker_profile TYPE option<string>;
DEFINE FIELD IF NOT EXISTS speakers.*.tts_model ON speaker_profile TYPE option<string>;
DEFINE FIELD IF NOT EXISTS speakers.*.settings ON speaker_profile TYPE option<object>;
DEFINE FIELD IF NOT EXISTS speakers.*.settings.speed ON speaker_profile TYPE option<number>;
DEFINE FIELD IF NOT EXISTS speakers.*.settings.stability ON speaker_profile TYPE option<number>;
DEFINE FIELD IF NOT EXISTS speakers.*.settings.style ON speaker_profile TYPE option<number>;
DEFINE FIELD IF NOT EXISTS speakers.*.settings.instructions ON speaker_profile TYPE option<string>;
DEFINE FIELD IF NOT EXISTS created ON speaker_profile TYPE datetime DEFAULT time::now();
DEFINE FIELD IF NOT EXISTS updated ON speaker_profile TYPE datetime DEFAULT time::now();
DEFINE INDEX IF NOT EXISTS speaker_profile_name ON speaker_profile FIELDS name UNIQUE;

DEFINE TABLE OVERWRITE episode_profile SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS name ON episode_profile TYPE string;
DEFINE FIELD IF NOT EXISTS description ON episode_profile TYPE string DEFAULT "";
DEFINE FIELD IF NOT EXISTS speaker_profile ON episode_profile TYPE string;
DEFINE FIELD IF NOT EXISTS outline_provider ON episode_profile TYPE string ASSERT $value IN ${sqlList(LLM_PROVIDERS)};
DEFINE FIELD IF NOT EXISTS outline_model ON episode_profile TYPE string DEFAULT "";
DEFINE FIELD IF NOT EXISTS transcript_provider ON episode_profile TYPE string ASSERT $value IN ${sqlList(LLM_PROVIDERS)};
DEFINE FIELD IF NOT EXISTS transcript_model ON episode_profile TYPE string DEFAULT "";
DEFINE FIELD IF NOT EXISTS language ON episode_profile TYPE string DEFAULT "en";
DEFINE FIELD IF NOT EXISTS default_briefing ON episode_profile TYPE string DEFAULT "";
DEFINE FIELD IF NOT EXISTS num_segments ON episode_profile TYPE int ASSERT $value >= 3 AND $value <= 20;
DEFINE FIELD IF NOT EXISTS max_tokens ON episode_profile TYPE option<int>;
DEFINE FIELD IF NOT EXISTS target_minutes ON episode_profile TYPE option<number>;
DEFINE FIELD IF NOT EXISTS created ON episode_profile TYPE datetime DEFAULT time::now();
DEFINE FIELD IF NOT EXISTS updated ON episode_profile TYPE datetime DEFAULT time::now();
DEFINE INDEX IF NOT EXISTS episode_profile_name ON episode_profile FIELDS name UNIQUE;
`;

const notebooks = `
DEFINE TABLE OVERWRITE notebook SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS name ON notebook TYPE string;
DEFINE FIELD IF NOT EXISTS description ON notebook TYPE string DEFAULT "";
DEFINE FIELD IF NOT EXISTS created ON notebook TYPE datetime DEFAULT time::now();
DEFINE FIELD IF NOT EXISTS updated ON notebook TYPE datetime DEFAULT time::now();

DEFINE TABLE OVERWRITE source SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS notebook ON source TYPE record<notebook>;
DEFINE FIELD IF NOT EXISTS kind ON source TYPE string ASSERT $value IN ["text", "markdown", "file", "url"];
DEFINE FIELD IF NOT EXISTS title ON source TYPE string DEFAULT "";
DEFINE FIELD IF NOT EXISTS text ON source TYPE string;
DEFINE FIELD IF NOT EXISTS url ON source TYPE option<string>;
DEFINE FIELD IF NOT EXISTS file_name ON source TYPE option<string>;
DEFINE FIELD IF NOT EXISTS size ON source TYPE int;
DEFINE FIELD IF NOT EXISTS bytes ON source TYPE int;
DEFINE FIELD IF NOT EXISTS created ON source TYPE datetime DEFAULT time::now();
DEFINE INDEX IF NOT EXISTS source_notebook ON source FIELDS notebook;
`;

const episodes = `
DEFINE TABLE OVERWRITE episode SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS name ON episode TYPE string;
DEFINE FIELD IF NOT EXISTS briefing ON episode TYPE string DEFAULT "";
DEFINE FIELD IF NOT EXISTS briefing_suffix ON episode TYPE option<string>;
DEFINE FIELD IF NOT EXISTS language ON episode TYPE string DEFAULT "en";
DEFINE FIELD IF NOT EXISTS content ON episode TYPE option<string>;
DEFINE FIELD IF NOT EXISTS script ON episode TYPE option<array<object>>;
DEFINE FIELD IF NOT EXISTS script.*.speaker ON episode TYPE string;
DEFINE FIELD IF NOT EXISTS script.*.text ON episode TYPE string;
DEFINE FIELD IF NOT EXISTS script.*.segment ON episode TYPE option<int>;
DEFINE FIELD IF NOT EXISTS origin ON episode TYPE object FLEXIBLE DEFAULT {};
DEFINE FIELD IF NOT EXISTS episode_profile ON episode TYPE object FLEXIBLE;
DEFINE FIELD IF NOT EXISTS speaker_profile ON episode TYPE object FLEXIBLE;
DEFINE FIELD IF NOT EXISTS command ON episode TYPE option<record<command>>;
DEFINE FIELD IF NOT EXISTS status ON episode TYPE string DEFAULT "submitted";
DEFINE FIELD IF NOT EXISTS outline ON episode TYPE option<object> FLEXIBLE;
DEFINE FIELD IF NOT EXISTS transcript ON episode TYPE option<array<object>>;
DEFINE FIELD IF NOT EXISTS transcript.*.speaker ON episode TYPE string;
DEFINE FIELD IF NOT EXISTS transcript.*.text ON episode TYPE string;
DEFINE FIELD IF NOT EXISTS transcript.*.start ON episode TYPE number;
DEFINE FIELD IF NOT EXISTS transcript.*.end ON episode TYPE number;
DEFINE FIELD IF NOT EXISTS transcript.*.segment ON episode TYPE int;
DEFINE FIELD IF NOT EXISTS audio_file ON episode TYPE option<string>;
DEFINE FIELD IF NOT EXISTS duration ON episode TYPE option<number>;
DEFINE FIELD IF NOT EXISTS chapters ON episode TYPE option<array<object>>;
DEFINE FIELD IF NOT EXISTS chapters.*.title ON episode TYPE string;
DEFINE FIELD IF NOT EXISTS chapters.*.start ON episode TYPE number;
DEFINE FIELD IF NOT EXISTS chapters.*.end ON episode TYPE number;
DEFINE FIELD IF NOT EXISTS loudness ON episode TYPE option<object> FLEXIBLE;
DEFINE FIELD IF NOT EXISTS stats ON episode TYPE option<object> FLEXIBLE;
DEFINE FIELD IF NOT EXISTS checkpoints ON episode TYPE object FLEXIBLE DEFAULT {};
DEFINE FIELD IF NOT EXISTS error ON episode TYPE option<string>;
DEFINE FIELD IF NOT EXISTS created ON episode TYPE datetime DEFAULT time::now();
DEFINE FIELD IF NOT EXISTS updated ON episode TYPE datetime DEFAULT time::now();
DEFINE INDEX IF NOT EXISTS episode_created ON episode FIELDS created;
DEFINE INDEX IF NOT EXISTS episode_command ON episode FIELDS command;

DEFINE TABLE OVERWRITE tts_cache SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS key ON tts_cache TYPE string;
DEFINE FIELD IF NOT EXISTS provider ON tts_cache TYPE string;
DEFINE FIELD IF NOT EXISTS model ON tts_cache TYPE string DEFAULT "";
DEFINE FIELD IF NOT EXISTS voice ON tts_cache TYPE string DEFAULT "";
DEFINE FIELD IF NOT EXISTS file ON tts_cache TYPE string;
DEFINE FIELD IF NOT EXISTS sample_rate ON tts_cache TYPE int;
DEFINE FIELD IF NOT EXISTS samples ON tts_cache TYPE int;
DEFINE FIELD IF NOT EXISTS bytes ON tts_cache TYPE int;
DEFINE FIELD IF NOT EXISTS created ON tts_cache TYPE datetime DEFAULT time::now();
DEFINE INDEX IF NOT EXISTS tts_cache_key ON tts_cache FIELDS key UNIQUE;
`;

// An episode's status and error are its job's (src/podcasts/episode-store.ts): no longer stored.
// Its files live in a folder per run (`files`), published by the run's fenced final write.
const episodeRuns = `
REMOVE FIELD IF EXISTS status ON episode;
REMOVE FIELD IF EXISTS error ON episode;
DEFINE FIELD IF NOT EXISTS files ON episode TYPE option<string>;
`;

// The speech cache is bounded: eviction takes the least recently used clips first.
const cacheUse = `
DEFINE FIELD IF NOT EXISTS used ON tts_cache TYPE datetime DEFAULT time::now();
DEFINE INDEX IF NOT EXISTS tts_cache_used ON tts_cache FIELDS used;
`;

// Seeded profiles named gpt-4o-mini; they now leave the model to the writer endpoint (LLM_MODEL), so
// a local server works without editing them. Only profiles still exactly as seeded change.
const seededModels = `
UPDATE episode_profile SET outline_model = '', transcript_model = ''
  WHERE name IN ['tech_discussion', 'solo_expert', 'business_analysis']
  AND outline_model = 'gpt-4o-mini' AND transcript_model = 'gpt-4o-mini';
`;

export const podcastMigrations: Migration[] = [
  { id: 200, name: "podcasts: speaker and episode profiles", sql: profiles },
  { id: 201, name: "podcasts: notebooks and sources", sql: notebooks },
  { id: 202, name: "podcasts: episodes and the speech cache", sql: episodes },
  { id: 203, name: "podcasts: episode status from its job; files in a folder per run", sql: episodeRuns },
  { id: 204, name: "podcasts: the speech cache knows when each clip was last used", sql: cacheUse },
  { id: 205, name: "podcasts: seeded profiles take the writer endpoint's model", sql: seededModels },
];
