// Tables of the sampling path (migration ids 300-399). A worker that needs the client's model writes
// a `sampling_request`; the server process that holds the submitting MCP session asks its client
// and writes the answer back on the same row; the worker reads it and deletes the row. The episode
// records who submitted it (`submitted_by`) and which writers wrote its script (`writer`).
import { LLM_PROVIDERS, sqlList } from "../core/enums.js";
import type { Migration } from "../db/index.js";

/** A request's life: pending → asked (a server claimed it and asked its client) → answered | failed. */
export const SAMPLING_STATUSES = ["pending", "asked", "answered", "failed"] as const;
export type SamplingStatus = (typeof SAMPLING_STATUSES)[number];

const requests = `
DEFINE TABLE OVERWRITE sampling_request SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS session ON sampling_request TYPE string;
DEFINE FIELD IF NOT EXISTS job ON sampling_request TYPE option<record<command>>;
DEFINE FIELD IF NOT EXISTS episode ON sampling_request TYPE option<record<episode>>;
DEFINE FIELD IF NOT EXISTS purpose ON sampling_request TYPE string DEFAULT "";
DEFINE FIELD IF NOT EXISTS params ON sampling_request TYPE object FLEXIBLE;
DEFINE FIELD IF NOT EXISTS status ON sampling_request TYPE string ASSERT $value IN ${sqlList(SAMPLING_STATUSES)};
DEFINE FIELD IF NOT EXISTS server ON sampling_request TYPE option<string>;
DEFINE FIELD IF NOT EXISTS asked ON sampling_request TYPE option<datetime>;
DEFINE FIELD IF NOT EXISTS answer ON sampling_request TYPE option<object> FLEXIBLE;
DEFINE FIELD IF NOT EXISTS error ON sampling_request TYPE option<string>;
DEFINE FIELD IF NOT EXISTS error_kind ON sampling_request TYPE option<string>;
DEFINE FIELD IF NOT EXISTS created ON sampling_request TYPE datetime DEFAULT time::now();
DEFINE FIELD IF NOT EXISTS updated ON sampling_request TYPE datetime DEFAULT time::now();
DEFINE INDEX IF NOT EXISTS sampling_request_session ON sampling_request FIELDS session;

DEFINE FIELD IF NOT EXISTS submitted_by ON episode TYPE option<object> FLEXIBLE;
DEFINE FIELD IF NOT EXISTS writer ON episode TYPE option<object> FLEXIBLE;

-- Profiles stored before "client" existed were checked against the older list.
DEFINE FIELD OVERWRITE outline_provider ON episode_profile TYPE string ASSERT $value IN ${sqlList(LLM_PROVIDERS)};
DEFINE FIELD OVERWRITE transcript_provider ON episode_profile TYPE string ASSERT $value IN ${sqlList(LLM_PROVIDERS)};
`;

export const samplingMigrations: Migration[] = [
  {
    id: 300,
    name: "sampling: requests to MCP clients; who submitted an episode and which writer wrote it",
    sql: requests,
  },
];
