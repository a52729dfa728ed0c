// A DB host in its own process, for tests: the built host-cli entry with the env's config.
// Exits 3 with the error's message on stderr when the host cannot start.
import { loadConfig } from "../../dist/config.js";
import { main } from "../../dist/db/host-cli.js";

try {
  process.exitCode = await main(process.argv.slice(2), loadConfig(process.env));
} catch (err) {
  process.stderr.write(`db host failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 3;
}
