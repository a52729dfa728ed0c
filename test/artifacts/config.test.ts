// PODCAST_MCP_ARTIFACTS and the AWS variables → one typed config, or a ConfigError that names the
// variable (and never echoes a secret).
import { describe, expect, it } from "vitest";
import { parseArtifactsConfig, S3_DEFAULTS } from "../../src/artifacts/index.js";
import { ConfigError } from "../../src/config.js";

const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

describe("parseArtifactsConfig", () => {
  it("is the data dir when PODCAST_MCP_ARTIFACTS is unset or blank, whatever AWS variables say", () => {
    expect(parseArtifactsConfig(env({}))).toEqual({ kind: "file" });
    expect(parseArtifactsConfig(env({ PODCAST_MCP_ARTIFACTS: "  ", AWS_REGION: "eu-west-1" }))).toEqual({
      kind: "file",
    });
  });

  it("reads a MinIO-style setup: endpoint, keys, path style on by default, us-east-1 when no region", () => {
    const c = parseArtifactsConfig(
      env({
        PODCAST_MCP_ARTIFACTS: "s3://podcasts/prod/eu/",
        AWS_ENDPOINT_URL: "http://minio.internal:9000",
        AWS_ACCESS_KEY_ID: "minio",
        AWS_SECRET_ACCESS_KEY: "minio-secret",
      }),
    );
    expect(c).toEqual({
      kind: "s3",
      s3: {
        bucket: "podcasts",
        prefix: "prod/eu/",
        endpoint: "http://minio.internal:9000",
        region: "us-east-1",
        forcePathStyle: true,
        credentials: { accessKeyId: "minio", secretAccessKey: "minio-secret" },
        maxAttempts: S3_DEFAULTS.maxAttempts,
        timeoutMs: S3_DEFAULTS.timeoutMs,
        partSizeBytes: S3_DEFAULTS.partSizeBytes,
      },
    });
  });

  it("reads an AWS setup: no endpoint, virtual-hosted style, the SDK's credential chain when no keys", () => {
    const c = parseArtifactsConfig(
      env({ PODCAST_MCP_ARTIFACTS: "s3://my.bucket-1", AWS_DEFAULT_REGION: "eu-central-1" }),
    );
    expect(c.kind === "s3" && c.s3).toMatchObject({
      bucket: "my.bucket-1",
      prefix: "",
      endpoint: undefined,
      region: "eu-central-1",
      forcePathStyle: false,
      credentials: undefined,
    });
    const noRegion = parseArtifactsConfig(env({ PODCAST_MCP_ARTIFACTS: "s3://bucket" }));
    expect(noRegion.kind === "s3" && noRegion.s3.region).toBeUndefined(); // left to ~/.aws/config
  });

  it("prefers AWS_ENDPOINT_URL_S3 and AWS_REGION; takes a session token and the tuning variables", () => {
    const c = parseArtifactsConfig(
      env({
        PODCAST_MCP_ARTIFACTS: "s3://bucket/p",
        AWS_ENDPOINT_URL: "http://wrong:1",
        AWS_ENDPOINT_URL_S3: "https://acct.r2.cloudflarestorage.com",
        AWS_REGION: "auto",
        AWS_DEFAULT_REGION: "eu-west-1",
        AWS_ACCESS_KEY_ID: "id",
        AWS_SECRET_ACCESS_KEY: "secret",
        AWS_SESSION_TOKEN: "token",
        PODCAST_MCP_S3_FORCE_PATH_STYLE: "false",
        PODCAST_MCP_S3_MAX_ATTEMPTS: "6",
        PODCAST_MCP_S3_TIMEOUT_MS: "1500",
        PODCAST_MCP_S3_PART_SIZE_MB: "16",
      }),
    );
    expect(c.kind === "s3" && c.s3).toMatchObject({
      prefix: "p/",
      endpoint: "https://acct.r2.cloudflarestorage.com",
      region: "auto",
      forcePathStyle: false,
      credentials: { accessKeyId: "id", secretAccessKey: "secret", sessionToken: "token" },
      maxAttempts: 6,
      timeoutMs: 1500,
      partSizeBytes: 16 * 1024 * 1024,
    });
  });

  it.each([
    [{ PODCAST_MCP_ARTIFACTS: "/var/podcasts" }, /PODCAST_MCP_ARTIFACTS: must be s3:\/\/bucket/],
    [{ PODCAST_MCP_ARTIFACTS: "s3://" }, /PODCAST_MCP_ARTIFACTS: must be s3:\/\/bucket/],
    [{ PODCAST_MCP_ARTIFACTS: "s3://Upper_Case" }, /PODCAST_MCP_ARTIFACTS: bucket must be 3 to 63/],
    [{ PODCAST_MCP_ARTIFACTS: "s3://ab" }, /PODCAST_MCP_ARTIFACTS: bucket must be/],
    [{ PODCAST_MCP_ARTIFACTS: "s3://bucket/../up" }, /PODCAST_MCP_ARTIFACTS: prefix must be/],
    [{ PODCAST_MCP_ARTIFACTS: "s3://bucket/a//b" }, /PODCAST_MCP_ARTIFACTS: prefix must be/],
    [
      { PODCAST_MCP_ARTIFACTS: "s3://bucket", AWS_ENDPOINT_URL: "minio:9000" },
      /AWS_ENDPOINT_URL: must be an http\(s\) URL/,
    ],
    [
      { PODCAST_MCP_ARTIFACTS: "s3://bucket", AWS_ENDPOINT_URL_S3: "ftp://x" },
      /AWS_ENDPOINT_URL_S3: must be an http\(s\) URL/,
    ],
    [{ PODCAST_MCP_ARTIFACTS: "s3://bucket", AWS_REGION: "EU West" }, /AWS_REGION: must be a region name/],
    [
      { PODCAST_MCP_ARTIFACTS: "s3://bucket", AWS_ACCESS_KEY_ID: "id" },
      /AWS_SECRET_ACCESS_KEY: must be set with AWS_ACCESS_KEY_ID/,
    ],
    [{ PODCAST_MCP_ARTIFACTS: "s3://bucket", AWS_SECRET_ACCESS_KEY: "s" }, /AWS_ACCESS_KEY_ID: must be set with/],
    [
      { PODCAST_MCP_ARTIFACTS: "s3://bucket", PODCAST_MCP_S3_FORCE_PATH_STYLE: "maybe" },
      /PODCAST_MCP_S3_FORCE_PATH_STYLE: must be true or false/,
    ],
    [
      { PODCAST_MCP_ARTIFACTS: "s3://bucket", PODCAST_MCP_S3_MAX_ATTEMPTS: "0" },
      /PODCAST_MCP_S3_MAX_ATTEMPTS: must be a whole number from 1 to 10/,
    ],
    [
      { PODCAST_MCP_ARTIFACTS: "s3://bucket", PODCAST_MCP_S3_TIMEOUT_MS: "fast" },
      /PODCAST_MCP_S3_TIMEOUT_MS: must be a whole number/,
    ],
    [
      { PODCAST_MCP_ARTIFACTS: "s3://bucket", PODCAST_MCP_S3_PART_SIZE_MB: "4" },
      /PODCAST_MCP_S3_PART_SIZE_MB: must be a whole number from 5 to 512/,
    ],
  ])("refuses %o", (vars, rule) => {
    expect(() => parseArtifactsConfig(env(vars))).toThrow(ConfigError);
    expect(() => parseArtifactsConfig(env(vars))).toThrow(rule);
  });

  it("lists every bad variable at once and never echoes a secret", () => {
    let message = "";
    try {
      parseArtifactsConfig(
        env({
          PODCAST_MCP_ARTIFACTS: "s3://bucket",
          AWS_ENDPOINT_URL: "http://user:hunter2@minio:9000",
          AWS_SECRET_ACCESS_KEY: "very-secret-value",
          PODCAST_MCP_S3_MAX_ATTEMPTS: "99",
        }),
      );
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration:\n/);
    expect(message).toMatch(/AWS_ENDPOINT_URL: must not hold credentials/);
    expect(message).toMatch(/AWS_ACCESS_KEY_ID: must be set with AWS_SECRET_ACCESS_KEY/);
    expect(message).toMatch(/PODCAST_MCP_S3_MAX_ATTEMPTS: must be a whole number from 1 to 10 \(got "99"\)/);
    expect(message).not.toMatch(/hunter2|very-secret-value/);
  });
});
