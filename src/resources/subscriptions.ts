// Who wants to hear about which resource. One entry per connected McpServer instance: stdio pins
// one per connection, Streamable HTTP one per 2025-era session (src/http/sessions.ts); an entry
// leaves when its instance closes. 2025-era clients subscribe per URI with resources/subscribe;
// 2026-era clients open subscriptions/listen, which the SDK's entry routes and filters itself, so
// those instances (and the HTTP handler's event bus, a sink) get every update and the SDK drops what
// nobody listens to.
import type { McpServer } from "@modelcontextprotocol/server";
import type { Logger } from "../log.js";

interface Entry {
  server: McpServer;
  era: "legacy" | "modern";
  uris: Set<string>;
}

export class SubscriptionHub {
  readonly #entries = new Set<Entry>();
  /** Extra sinks (the HTTP handler's event bus for 2026-era listen streams). */
  readonly #sinks: { updated(uri: string): void; listChanged(): void }[] = [];

  readonly #log: Logger;
  constructor(log: Logger) {
    this.#log = log;
  }

  attach(server: McpServer, era: "legacy" | "modern"): void {
    const entry: Entry = { server, era, uris: new Set() };
    this.#entries.add(entry);
    server.server.setRequestHandler("resources/subscribe", async (req) => {
      entry.uris.add(req.params.uri);
      return {};
    });
    server.server.setRequestHandler("resources/unsubscribe", async (req) => {
      entry.uris.delete(req.params.uri);
      return {};
    });
    const prev = server.server.onclose;
    server.server.onclose = () => {
      this.#entries.delete(entry);
      prev?.();
    };
  }

  addSink(sink: { updated(uri: string): void; listChanged(): void }): void {
    this.#sinks.push(sink);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** `uris`: every spelling of the changed resource (see uriVariants). */
  updated(uris: string[]): void {
    for (const e of this.#entries) {
      const targets = e.era === "modern" ? uris.slice(0, 1) : uris.filter((u) => e.uris.has(u));
      for (const uri of targets) {
        e.server.server
          .sendResourceUpdated({ uri })
          .catch((err: unknown) => this.#log.debug({ err, uri }, "resource update not sent"));
      }
    }
    for (const s of this.#sinks) for (const uri of uris) s.updated(uri);
  }

  listChanged(): void {
    for (const e of this.#entries) {
      try {
        e.server.sendResourceListChanged();
      } catch (err) {
        this.#log.debug({ err }, "list_changed not sent");
      }
    }
    for (const s of this.#sinks) s.listChanged();
  }
}
