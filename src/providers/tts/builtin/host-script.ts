// The program of the speech host: a child process that compiles Flite once and then runs one
// synthesis per message, each in a fresh WASI instance (a WASI program runs its main once).
// It is kept as source text (CommonJS, run with `node -e`) so it runs the same whether the parent
// is loaded from src/ by the test runner or from dist/; it is small on purpose.
//
// Why the V8 flag: on Node 20 (and 22, nodejs/node#46777) the WASI imports are V8 "fast API
// calls", which must never trigger a garbage collection; but uvwasi reports every allocation to
// V8 as external memory, and once the WASM memory is large (a long utterance) that report starts
// a GC inside the call: the heap is corrupted and the process dies (SIGSEGV, or SIGABRT from
// uv_mutex_destroy while the WASI object is collected mid-call). Checked here: `-t` with 1,100
// characters crashed every run; with `--no-turbo-fast-api-calls` 4,000 characters of prose, of
// unpunctuated words and of a system file all completed. The flag is set before anything is
// compiled; a Node whose V8 no longer knows it only prints a line on stderr.
//
// Protocol on the IPC channel: the parent sends { id, dir, voice, stretch }; `dir` holds `in.txt`
// and is the only directory the program sees; the host answers { id, code } once Flite has
// written `out.wav`, or { id, error }. stdout and stderr are the parent's stderr (fd 1 of a
// process serving MCP over stdio is the protocol). The host exits when the parent disconnects.
//
// Test hook: when PODCAST_MCP_TEST_FLITE_CRASH is set and the text contains its value, the host
// crashes itself with SIGSEGV, as Flite did, so tests can check what a real crash leaves behind.
export const HOST_SCRIPT = `
"use strict";
require("node:v8").setFlagsFromString("--no-turbo-fast-api-calls");
const fs = require("node:fs");
const path = require("node:path");
const { WASI } = require("node:wasi");

const flite = new WebAssembly.Module(fs.readFileSync(process.argv[1]));
const crashOn = process.env.PODCAST_MCP_TEST_FLITE_CRASH;

function speak(job) {
  if (crashOn && fs.readFileSync(path.join(job.dir, "in.txt"), "utf8").includes(crashOn)) {
    process.kill(process.pid, "SIGSEGV");
  }
  const args = ["flite", "-voice", job.voice, "--setf", "duration_stretch=" + job.stretch];
  args.push("-f", "in.txt", "-o", "out.wav");
  const preopens = { ".": job.dir };
  const wasi = new WASI({ version: "preview1", args, env: {}, preopens, returnOnExit: true, stdout: 2, stderr: 2 });
  const instance = new WebAssembly.Instance(flite, { wasi_snapshot_preview1: wasi.wasiImport });
  return wasi.start(instance);
}

process.on("message", (job) => {
  let answer;
  try {
    answer = { id: job.id, code: speak(job) };
  } catch (err) {
    answer = { id: job.id, error: err instanceof Error ? err.message : String(err) };
  }
  process.send(answer);
});
process.on("disconnect", () => process.exit(0));
`;
