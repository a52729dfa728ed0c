// The client's side of the local DB host's handshake proof (host-proof.ts). The SDK keeps one URL
// and one set of credentials for ever and builds a new WebSocket for every (re)connect attempt from
// the `websocketImpl` class it was given; that class is where this link steps in: each new socket
// is pointed at the host the state file names now, carries a fresh nonce, and is closed in its
// `upgrade` event, before it opens, unless the answer proves the secret read with that address.
// The SDK's `authentication` function then gives the secret of the host just proven, never a
// secret to a socket that proved nothing.
import WebSocket from "ws";
import type { Logger } from "../log.js";
import { newNonce, NONCE_HEADER, PROOF_HEADER, proofMatches } from "./host-proof.js";

/** Where the host is and the secret it must prove it knows, read together from one state file. */
export interface HostTarget {
  url: string;
  secret: string;
}

/**
 * A server that accepts TCP but never answers the upgrade (a hung process, or another program on
 * a port the host used to have) would stall the SDK's reconnect loop for ever without a limit.
 * The local host answers in milliseconds; a remote server may sit behind a slow TLS link.
 */
const LOCAL_HANDSHAKE_TIMEOUT_MS = 3000;
const REMOTE_HANDSHAKE_TIMEOUT_MS = 15_000;

export class HostLink {
  /** The last target the state file gave: while the host is down it is the best guess. */
  #last: HostTarget | undefined;
  #proven: HostTarget | undefined;
  #lastRefused = "";

  readonly #find: () => HostTarget | undefined;
  readonly #log: Logger;
  constructor(
    /** Reads the state file now; undefined when there is none or its process is gone. */
    find: () => HostTarget | undefined,
    /** The state file, named in log lines. */
    readonly source: string,
    log: Logger,
    initial?: HostTarget,
  ) {
    this.#log = log;
    this.#find = find;
    this.#last = initial;
  }

  /** The secret of the host this link last proved; null (no sign-in) before any proof. */
  credentials(): { username: string; password: string } | null {
    return this.#proven ? { username: "root", password: this.#proven.secret } : null;
  }

  #target(): HostTarget | undefined {
    const now = this.#find();
    if (now) this.#last = now;
    return this.#last;
  }

  #accepted(target: HostTarget): void {
    this.#proven = target;
    if (this.#lastRefused) this.#log.info({ url: target.url }, "db: the local DB host proved itself again; signing in");
    this.#lastRefused = "";
  }

  #refused(url: string, why: string): void {
    this.#proven = undefined;
    // Once at warn per address: the SDK retries every ≤ 2 s while the impostor holds the port.
    const level = this.#lastRefused === url ? "debug" : "warn";
    this.#lastRefused = url;
    this.#log[level](
      { url, file: this.source },
      `db: refused ${url}: ${why}; not signing in (another program may hold the port)`,
    );
  }

  /** The `websocketImpl` for the SDK. */
  socketClass(): typeof globalThis.WebSocket {
    const link = this;
    class Socket extends WebSocket {
      constructor(address: string | URL, protocols?: string | string[]) {
        const url = new URL(address);
        const target = link.#target();
        if (target) {
          const to = new URL(target.url);
          url.protocol = to.protocol;
          url.host = to.host;
        }
        const nonce = newNonce();
        super(url, protocols, { handshakeTimeout: LOCAL_HANDSHAKE_TIMEOUT_MS, headers: { [NONCE_HEADER]: nonce } });
        this.once("upgrade", (res) => {
          if (target && proofMatches(target.secret, nonce, res.headers[PROOF_HEADER])) return link.#accepted(target);
          link.#refused(
            url.origin,
            target
              ? `it did not prove it knows the secret in ${link.source}`
              : `there is no ${link.source} to check it against`,
          );
          // Still CONNECTING: ws aborts the handshake, emits error and close, never open.
          this.close();
        });
      }
    }
    return Socket as unknown as typeof globalThis.WebSocket;
  }
}

/** `ws` with a handshake timeout, for a SurrealDB server that is not our local host. */
export function remoteSocketClass(): typeof globalThis.WebSocket {
  class Socket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { handshakeTimeout: REMOTE_HANDSHAKE_TIMEOUT_MS });
    }
  }
  return Socket as unknown as typeof globalThis.WebSocket;
}
