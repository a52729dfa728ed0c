// A small cluster on this machine, built as if on three: a DB host (the DB "machine"), one MCP server
// over HTTP with its own data dir, and `podcast-mcp worker` processes, each with its own data dir.
// Nothing on disk is shared: they meet only in the database (SURREAL_URL, signed in as root) and in
// an S3 bucket (s3rver on loopback). Speech comes from a loopback fake of OpenAI's speech endpoint
// that records every request, so a test can count what was billed.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { connect, type Db } from "../../src/db/index.js";
import { fakeOpenAiSpeech, type SpeechFake } from "../fakes/openai-speech.js";
import { startFakeServer, type FakeServer } from "../fakes/server.js";
import { startS3rver, S3RVER_CREDENTIALS, type TestS3 } from "../artifacts/s3rver.js";
import { startHost, stopHost } from "../worker/cluster.js";
import { cleanEnv, spawnCli, stopAll, stopProc, tmpDataDir, waitFor, type Proc } from "../helpers/procs.js";
import { readHostState } from "../../src/db/index.js";

export const SPEECH_KEY = "test-key";
/** Artifacts under a prefix, as a bucket shared with other things would have them. */
export const S3_PREFIX = "cluster/main";

export interface ClusterOptions {
  /** Short, so a SIGKILLed worker's job is taken back within a test's patience. */
  leaseMs: number;
  /** Delay of each synthesis: long enough that a worker can be killed mid-episode. */
  speechLatencyMs: number;
}

export interface WorkerNode {
  name: string;
  dataDir: string;
  proc: Proc;
}

export interface Cluster {
  s3: TestS3;
  speech: SpeechFake;
  speechServer: FakeServer;
  /** ws://127.0.0.1:PORT and the root password the DB host made at its start. */
  surrealUrl: string;
  rootPassword: string;
  hostDir: string;
  hostPid: number;
  serverDir: string;
  server: Proc;
  /** http://127.0.0.1:PORT of the MCP server (MCP at /mcp, audio and feed beside it). */
  serverUrl: string;
  workers: WorkerNode[];
  startWorker(name: string): WorkerNode;
  /** A connection like an operator's `surreal sql`: to look at jobs and the speech cache. */
  operator(): Promise<Db>;
  stop(): Promise<void>;
}

/** What every process of the cluster is given: the database and the bucket, nothing on disk. */
function sharedEnv(c: { surrealUrl: string; rootPassword: string; s3: TestS3; speechServer: FakeServer }) {
  return {
    SURREAL_URL: c.surrealUrl,
    SURREAL_USER: "root",
    SURREAL_PASSWORD: c.rootPassword,
    PODCAST_MCP_ARTIFACTS: `s3://${c.s3.bucket}/${S3_PREFIX}`,
    AWS_ENDPOINT_URL: c.s3.endpoint,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_REGION: "us-east-1",
    // Whatever the developer's shell holds must not point the processes at a real account.
    AWS_ENDPOINT_URL_S3: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_DEFAULT_REGION: undefined,
    OPENAI_BASE_URL: `${c.speechServer.url}/v1`,
    OPENAI_API_KEY: SPEECH_KEY,
  };
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const s3 = await startS3rver();
  const speech = fakeOpenAiSpeech({ apiKey: SPEECH_KEY, latencyMs: opts.speechLatencyMs });
  const speechServer = await startFakeServer(speech.handler);
  const hostDir = tmpDataDir("podcast-mcp-cluster-db-");
  const host = startHost(hostDir);
  const state = await waitFor(() => readHostState(hostDir), 30_000);
  const base = { surrealUrl: state.url, rootPassword: state.secret, s3, speechServer };
  const env = sharedEnv(base);

  const serverDir = tmpDataDir("podcast-mcp-cluster-server-");
  const server = spawnCli(["serve", "--http", "--port", "0"], cleanEnv({ ...env, PODCAST_MCP_DATA_DIR: serverDir }));
  const serverUrl = await waitFor(() => /listening on (http:\/\/\S+)\/mcp/.exec(server.stderr())?.[1], 60_000);

  const workers: WorkerNode[] = [];
  const startWorker = (name: string): WorkerNode => {
    const dataDir = tmpDataDir(`podcast-mcp-cluster-${name}-`);
    const proc = spawnCli(
      ["worker"],
      cleanEnv({
        ...env,
        PODCAST_MCP_DATA_DIR: dataDir,
        // One episode at a time per worker, so two episodes at once need both workers.
        PODCAST_MCP_CONCURRENCY: "1",
        PODCAST_MCP_LEASE_MS: String(opts.leaseMs),
        PODCAST_MCP_POLL_MS: "200",
        PODCAST_MCP_GRACE_MS: "3000",
      }),
    );
    const node = { name, dataDir, proc };
    workers.push(node);
    return node;
  };

  const operators: Db[] = [];
  return {
    ...base,
    speech,
    hostDir,
    hostPid: host.child.pid!,
    serverDir,
    server,
    serverUrl,
    workers,
    startWorker,
    async operator() {
      const where = { url: state.url, namespace: "podcast_mcp", database: "main" };
      const db = await connect({ ...where, user: "root", password: state.secret });
      operators.push(db);
      return db;
    },
    async stop() {
      for (const db of operators.splice(0)) await db.close().catch(() => undefined);
      await Promise.all([server, ...workers.map((w) => w.proc)].map((p) => stopProc(p)));
      await stopHost(host);
      await speechServer.close();
      await s3.destroy();
      await stopAll(); // anything left, then the temp dirs
    },
  };
}

/** Every file under dir (relative paths, sorted); directories alone are not listed. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const r = rel ? path.join(rel, name) : name;
      if (statSync(path.join(dir, r)).isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk("");
  return out.sort();
}
