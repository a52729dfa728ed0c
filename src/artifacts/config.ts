// Where artifacts live, from the environment. Unset PODCAST_MCP_ARTIFACTS = the data dir (the
// default); s3://bucket/prefix = an S3-compatible bucket that several machines share, reached with
// the usual AWS variables. A bad value fails at start with a message naming the variable (values of
// secrets are never echoed). src/config.ts calls this and owns the README table.
import { ConfigError } from "../errors.js";
import { checkKey } from "./keys.js";
import { S3_DEFAULTS, type S3StoreConfig } from "./s3/client.js";

export type ArtifactsConfig = { kind: "file" } | { kind: "s3"; s3: S3StoreConfig };

/** Bucket names valid on AWS S3 and therefore on every compatible server (3–63, lowercase). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const BOOL: Record<string, boolean> = {
  "1": true,
  true: true,
  yes: true,
  on: true,
  "0": false,
  false: false,
  no: false,
  off: false,
};

export function parseArtifactsConfig(env: NodeJS.ProcessEnv): ArtifactsConfig {
  const issues: string[] = [];
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const bad = (name: string, rule: string, secret = false) =>
    issues.push(`${name}: ${rule}${secret ? "" : ` (got ${JSON.stringify(env[name] ?? null)})`}`);
  const fail = () => new ConfigError(`Invalid configuration:\n  ${issues.join("\n  ")}`);

  const where = get("PODCAST_MCP_ARTIFACTS");
  if (where === undefined) return { kind: "file" };

  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(where);
  if (!m) {
    bad("PODCAST_MCP_ARTIFACTS", "must be s3://bucket or s3://bucket/prefix (or unset for the data dir)");
    throw fail();
  }
  const bucket = m[1]!;
  const prefixPath = (m[2] ?? "").replace(/\/+$/, "");
  if (!BUCKET.test(bucket) || bucket.includes("..")) {
    bad("PODCAST_MCP_ARTIFACTS", "bucket must be 3 to 63 lowercase letters, digits, . or -");
  }
  if (prefixPath !== "") {
    try {
      checkKey(prefixPath);
    } catch {
      bad("PODCAST_MCP_ARTIFACTS", "prefix must be segments of letters, digits, _ . - joined by /");
    }
  }

  const endpointVar = get("AWS_ENDPOINT_URL_S3") !== undefined ? "AWS_ENDPOINT_URL_S3" : "AWS_ENDPOINT_URL";
  const endpoint = get(endpointVar);
  if (endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol)) bad(endpointVar, "must be an http(s) URL");
    else if (url.username || url.password) bad(endpointVar, "must not hold credentials (use AWS_ACCESS_KEY_ID)", true);
  }

  // A custom endpoint needs some region to sign with; us-east-1 is what MinIO, Ceph and Garage
  // accept by default and what R2 maps "auto" to. Without an endpoint the SDK may still find one
  // in the shared config file (~/.aws/config), so none is forced here.
  const region = get("AWS_REGION") ?? get("AWS_DEFAULT_REGION") ?? (endpoint ? "us-east-1" : undefined);
  if (region !== undefined && !/^[a-z0-9-]{1,64}$/.test(region))
    bad(get("AWS_REGION") ? "AWS_REGION" : "AWS_DEFAULT_REGION", "must be a region name like eu-west-1");

  const accessKeyId = get("AWS_ACCESS_KEY_ID");
  const secretAccessKey = get("AWS_SECRET_ACCESS_KEY");
  const sessionToken = get("AWS_SESSION_TOKEN");
  if (accessKeyId && !secretAccessKey) bad("AWS_SECRET_ACCESS_KEY", "must be set with AWS_ACCESS_KEY_ID", true);
  if (!accessKeyId && secretAccessKey) bad("AWS_ACCESS_KEY_ID", "must be set with AWS_SECRET_ACCESS_KEY", true);

  let forcePathStyle = endpoint !== undefined;
  const pathStyle = get("PODCAST_MCP_S3_FORCE_PATH_STYLE");
  if (pathStyle !== undefined) {
    const v = BOOL[pathStyle.toLowerCase()];
    if (v === undefined) bad("PODCAST_MCP_S3_FORCE_PATH_STYLE", "must be true or false");
    else forcePathStyle = v;
  }

  const int = (name: string, min: number, max: number, dflt: number) => {
    const raw = get(name);
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) bad(name, `must be a whole number from ${min} to ${max}`);
    return n;
  };
  const maxAttempts = int("PODCAST_MCP_S3_MAX_ATTEMPTS", 1, 10, S3_DEFAULTS.maxAttempts);
  const timeoutMs = int("PODCAST_MCP_S3_TIMEOUT_MS", 100, 600_000, S3_DEFAULTS.timeoutMs);
  const partSizeMiB = int("PODCAST_MCP_S3_PART_SIZE_MB", 5, 512, S3_DEFAULTS.partSizeBytes / 1024 / 1024);

  if (issues.length) throw fail();
  return {
    kind: "s3",
    s3: {
      bucket,
      prefix: prefixPath ? `${prefixPath}/` : "",
      endpoint,
      region,
      forcePathStyle,
      credentials:
        accessKeyId && secretAccessKey
          ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }
          : undefined,
      maxAttempts,
      timeoutMs,
      partSizeBytes: partSizeMiB * 1024 * 1024,
    },
  };
}
