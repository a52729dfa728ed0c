// How a client knows it reached the local DB host and not another program on its port, before it
// sends the secret. The client puts a fresh random nonce in a header of the WebSocket upgrade
// request; the host answers HMAC-SHA256(secret, nonce) in a header of the 101 response; the client
// checks it in the socket's `upgrade` event and closes the socket there unless it matches, so the
// SDK never sees it open and sends nothing on it (not even `version`).
//
// Why a challenge and not a unix socket in the 0700 data dir: it needs no change of transport (the
// host stays a ws:// endpoint any SurrealDB tool can reach), works the same on every platform Node
// runs on (Windows named pipes are not files in the data dir), and has no 104/108-byte socket path
// limit that a data dir under a long home path would hit. Relaying the challenge to the real host
// gains an impostor nothing: a client only talks to the port that the state file it read names,
// while the host that wrote it is alive no other user can bind that port, and a host that starts
// again always makes a new secret, so a proof made with another secret never matches.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Request header: the client's nonce. */
export const NONCE_HEADER = "x-podcast-mcp-nonce";
/** Response header: the host's proof that it knows the secret. */
export const PROOF_HEADER = "x-podcast-mcp-proof";

const NONCE = /^[A-Za-z0-9_-]{22,128}$/;
const LABEL = "podcast-mcp db host proof v1\n";

export function newNonce(): string {
  return randomBytes(32).toString("base64url");
}

export function isNonce(value: unknown): value is string {
  return typeof value === "string" && NONCE.test(value);
}

export function hostProof(secret: string, nonce: string): string {
  return createHmac("sha256", secret)
    .update(LABEL + nonce)
    .digest("base64url");
}

export function proofMatches(secret: string, nonce: string, proof: unknown): boolean {
  if (typeof proof !== "string") return false;
  const want = Buffer.from(hostProof(secret, nonce));
  const got = Buffer.from(proof);
  return want.length === got.length && timingSafeEqual(want, got);
}
