// One typed, validated config object built from the environment (and CLI flags, which win).
// A bad value fails at start with a message that names the variable and the rule.
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { parseArtifactsConfig, type ArtifactsConfig } from "./artifacts/config.js";
import { ConfigError } from "./errors.js";
import { SAMPLING_POLL_MS, type SamplingSettings } from "./sampling/settings.js";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** The OS's per-user data dir for this app (XDG on Linux, Application Support on macOS, AppData on Windows). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  if (process.platform === "darwin") return path.join(home, "Library", "Application Support", "podcast-mcp");
  if (process.platform === "win32") {
    return path.join(env.LOCALAPPDATA ?? path.join(home, "AppData", "Local"), "podcast-mcp");
  }
  const xdg =
    env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, ".local", "share");
  return path.join(xdg, "podcast-mcp");
}

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const intIn = (min: number, max: number, dflt: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number()
      .int(`must be a whole number`)
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .default(dflt),
  );

const DURATION = /^\d+(\.\d+)?(ms|s|m|h)?$/;
/** A duration variable: a number of seconds, or with a unit (250ms, 90s, 10m, 1h). */
const duration = (dflt: string, note: string, minMs = 0) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(DURATION, `must be a duration such as 30, 90s, 10m or 1h (${note})`)
      .refine((v) => !DURATION.test(v) || durationMs(v) >= minMs, `must be at least ${minMs} ms`)
      .default(dflt),
  );

/** "600" (seconds), "90s", "10m", "1h", "250ms" → milliseconds. */
function durationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text)!;
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h"];
  return Math.round(Number(m[1]) * unit);
}

const SURREAL_URL_RULE = "must be mem://, rocksdb://<path>, ws(s)://host[:port] or http(s)://host[:port]";

/** Every environment variable the app reads. The README's table is written from this list. */
export const EnvSchema = z.object({
  PODCAST_MCP_DATA_DIR: optionalString.refine(
    (v) => v === undefined || path.isAbsolute(v) || !v.includes("\0"),
    "must be a path",
  ),
  SURREAL_URL: optionalString.refine(
    (v) => v === undefined || /^(mem:\/\/|rocksdb:\/\/.+|wss?:\/\/[^/]+|https?:\/\/[^/]+)/.test(v),
    SURREAL_URL_RULE,
  ),
  SURREAL_NAMESPACE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_]+$/, "must be letters, digits or _")
      .default("podcast_mcp"),
  ),
  SURREAL_DATABASE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_]+$/, "must be letters, digits or _")
      .default("main"),
  ),
  SURREAL_USER: optionalString,
  SURREAL_PASSWORD: optionalString,
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(", ")}`).default("info"),
  ),
  LOG_FILE: optionalString,
  PODCAST_MCP_WORKERS: intIn(0, 64, 2),
  PODCAST_MCP_CONCURRENCY: intIn(1, 64, 2),
  PODCAST_MCP_LEASE_MS: intIn(200, 3_600_000, 30_000),
  PODCAST_MCP_POLL_MS: intIn(10, 60_000, 1_000),
  PODCAST_MCP_GRACE_MS: intIn(0, 600_000, 10_000),
  PODCAST_MCP_IDLE_EXIT: duration("10m", "0: never"),
  PODCAST_MCP_WORKER_IDLE_EXIT: duration("30s", "0: workers stay"),
  PODCAST_MCP_SAMPLING_WAIT: duration("60s", "how long a job waits for the session that submitted it", 100),
  PODCAST_MCP_SAMPLING_TIMEOUT: duration("10m", "how long a client may take to answer one request", 1_000),
  PODCAST_MCP_DEFAULT_PROFILE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -")
      .default("tech_discussion"),
  ),
  PODCAST_MCP_TOKEN: optionalString,
  PODCAST_MCP_HTTP_MAX_SESSIONS: intIn(1, 10_000, 100),
  PODCAST_MCP_HTTP_SESSION_IDLE_MS: intIn(1_000, 86_400_000, 1_800_000),
  PODCAST_MCP_S3_REDIRECT_SECONDS: intIn(0, 604_800, 0),
  PODCAST_MCP_CACHE_MAX_MB: intIn(0, 10_000_000, 2_048),
  PODCAST_MCP_JOB_RETENTION_DAYS: intIn(0, 36_500, 30),
  PODCAST_MCP_ALLOWED_HOSTS: optionalString,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.refine((v) => v === undefined || /^https?:\/\//.test(v), "must be an http(s) URL"),
  LLM_BASE_URL: optionalString.refine((v) => v === undefined || /^https?:\/\//.test(v), "must be an http(s) URL"),
  LLM_API_KEY: optionalString,
  LLM_MODEL: optionalString,
  TTS_BASE_URL: optionalString.refine((v) => v === undefined || /^https?:\/\//.test(v), "must be an http(s) URL"),
  TTS_API_KEY: optionalString,
  TTS_MODEL: optionalString,
  ELEVENLABS_API_KEY: optionalString,
  ELEVENLABS_BASE_URL: optionalString.refine(
    (v) => v === undefined || /^https?:\/\//.test(v),
    "must be an http(s) URL",
  ),
});
export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  dataDir: string;
  /** undefined = the embedded default (local DB host in the data dir). */
  surrealUrl: string | undefined;
  namespace: string;
  database: string;
  user: string | undefined;
  password: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  logFile: string | undefined;
  /** Worker processes the daemon supervises. */
  workers: number;
  /** Jobs one worker process runs at once. */
  concurrency: number;
  /** How long a worker's claim on a job lasts without a heartbeat. */
  leaseMs: number;
  /** Poll interval: the backstop for the LIVE query that wakes workers. */
  pollMs: number;
  /** How long a stopping worker may finish its jobs before handing them back. */
  graceMs: number;
  /** The local daemon stops after this long with no job and no client (0: never). */
  idleExitMs: number;
  /** The daemon's workers leave after this long with no job and come back when one arrives (0: they stay). */
  workerIdleExitMs: number;
  /** The sampling path (a client's model writes the script): how long each side waits. */
  sampling: SamplingSettings;
  /** The episode profile generate_podcast uses when the caller names none. */
  defaultProfile: string;
  httpToken: string | undefined;
  /** 2025-era Streamable HTTP sessions: how many at once, and how long one may sit idle. */
  httpSessions: { maxSessions: number; idleMs: number };
  /** Where episode files and the speech cache live: the data dir, or an S3-compatible bucket. */
  artifacts: ArtifactsConfig;
  /** > 0: the HTTP routes answer with a redirect to a presigned URL valid this long (S3 only); 0: they stream. */
  artifactRedirectSeconds: number;
  /** The speech cache's size limit in MB (0 = no limit); least recently used clips go first. */
  cacheMaxMb: number;
  /** Finished jobs older than this many days are deleted by the workers (0 = kept for ever). */
  jobRetentionDays: number;
  /**
   * "remote" when the HTTP server listens on a non-loopback address: callers may then be other
   * machines, so file sources are refused and URL sources must be public hosts. Set by `serve`.
   */
  exposure: "local" | "remote";
  /** Extra Host names the HTTP server accepts (behind a proxy, say). */
  allowedHosts: string[];
  openai: { apiKey: string | undefined; baseUrl: string | undefined };
  /**
   * The script writer's OpenAI-compatible endpoint (OpenAI, Ollama, LM Studio, vLLM, OpenRouter, …):
   * LLM_* variables, each falling back to its OPENAI_* one. `model` is what a profile's empty model means.
   */
  llm: Endpoint;
  /** The voices' OpenAI-compatible endpoint (OpenAI, Kokoro-FastAPI, …): TTS_*, falling back to OPENAI_*. */
  tts: Endpoint;
  elevenlabs: { apiKey: string | undefined; baseUrl: string | undefined };
}

export { ConfigError };

/** A URL as a person may see it: any user and password in it replaced by `***`. */
export function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}

/** One OpenAI-compatible server for one role. Configured = a key or a base URL is set. */
export interface Endpoint {
  apiKey: string | undefined;
  baseUrl: string | undefined;
  model: string | undefined;
}

export function isConfigured(e: Pick<Endpoint, "apiKey" | "baseUrl">): boolean {
  return Boolean(e.apiKey || e.baseUrl);
}

/** Overrides from CLI flags, same names as the Config fields. */
export type ConfigOverrides = Partial<Pick<Config, "dataDir" | "surrealUrl" | "workers" | "concurrency" | "logLevel">>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `${i.path.join(".")}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])] ?? null)})`,
    );
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(overrides.dataDir ?? e.PODCAST_MCP_DATA_DIR ?? defaultDataDir(env));
  return {
    dataDir,
    surrealUrl: overrides.surrealUrl ?? e.SURREAL_URL,
    namespace: e.SURREAL_NAMESPACE,
    database: e.SURREAL_DATABASE,
    user: e.SURREAL_USER,
    password: e.SURREAL_PASSWORD,
    logLevel: overrides.logLevel ?? e.LOG_LEVEL,
    logFile: e.LOG_FILE,
    workers: overrides.workers ?? e.PODCAST_MCP_WORKERS,
    concurrency: overrides.concurrency ?? e.PODCAST_MCP_CONCURRENCY,
    leaseMs: e.PODCAST_MCP_LEASE_MS,
    pollMs: e.PODCAST_MCP_POLL_MS,
    graceMs: e.PODCAST_MCP_GRACE_MS,
    idleExitMs: durationMs(e.PODCAST_MCP_IDLE_EXIT),
    workerIdleExitMs: durationMs(e.PODCAST_MCP_WORKER_IDLE_EXIT),
    sampling: {
      claimWaitMs: durationMs(e.PODCAST_MCP_SAMPLING_WAIT),
      answerTimeoutMs: durationMs(e.PODCAST_MCP_SAMPLING_TIMEOUT),
      pollMs: SAMPLING_POLL_MS,
    },
    defaultProfile: e.PODCAST_MCP_DEFAULT_PROFILE,
    httpToken: e.PODCAST_MCP_TOKEN,
    httpSessions: { maxSessions: e.PODCAST_MCP_HTTP_MAX_SESSIONS, idleMs: e.PODCAST_MCP_HTTP_SESSION_IDLE_MS },
    artifacts: parseArtifactsConfig(env),
    artifactRedirectSeconds: e.PODCAST_MCP_S3_REDIRECT_SECONDS,
    cacheMaxMb: e.PODCAST_MCP_CACHE_MAX_MB,
    jobRetentionDays: e.PODCAST_MCP_JOB_RETENTION_DAYS,
    exposure: "local",
    allowedHosts: (e.PODCAST_MCP_ALLOWED_HOSTS ?? "")
      .split(",")
      .map((h) => h.trim())
      .filter(Boolean),
    openai: { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL },
    llm: {
      apiKey: e.LLM_API_KEY ?? e.OPENAI_API_KEY,
      baseUrl: e.LLM_BASE_URL ?? e.OPENAI_BASE_URL,
      model: e.LLM_MODEL,
    },
    tts: {
      apiKey: e.TTS_API_KEY ?? e.OPENAI_API_KEY,
      baseUrl: e.TTS_BASE_URL ?? e.OPENAI_BASE_URL,
      model: e.TTS_MODEL,
    },
    elevenlabs: { apiKey: e.ELEVENLABS_API_KEY, baseUrl: e.ELEVENLABS_BASE_URL },
  };
}
