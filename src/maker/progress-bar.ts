// Progress of one episode on stderr. On a terminal: one live line redrawn in place, with the stage,
// a bar, the stage's own message (in speech, the turn count) and the time left, refreshed every
// second even while a stage reports nothing (a slow LLM call still shows the clock moving). Not on a
// terminal (CI, a pipe, a file): one plain line as each stage begins, so a log holds no carriage
// returns and still says where a run that hangs got to.
import { TimeLeft, formatSeconds } from "../cli/time-left.js";
import type { StatusLine } from "../cli/terminal.js";

export interface ProgressBar {
  /** `fraction` is the whole run's, in [0,1]. */
  update(fraction: number, stage: string, message: string): void;
  /** Ends the live line and prints `message` in its place. */
  done(message: string): void;
}

const WIDTH = 20;
/** Redraws at most this often within a stage: a fast stage reports hundreds of times a second. */
const REDRAW_MS = 100;
const TICK_MS = 1_000;

/** The live line's text: `speech     [########------------]  45%  spoke turn 5/11 · 12 s left`. */
export function progressText(stage: string, fraction: number, message: string, secondsLeft?: number): string {
  const f = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(f * WIDTH);
  const pct = `${Math.round(f * 100)}%`.padStart(4);
  const left = secondsLeft === undefined ? "" : ` · ${formatSeconds(secondsLeft)} left`;
  return `${stage.padEnd(10)} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${pct}  ${message}${left}`;
}

export function createProgressBar(line: StatusLine, clock: () => number = Date.now): ProgressBar {
  let stage = "";
  let fraction = 0;
  let message = "";
  let lastDraw = 0;
  const timeLeft = new TimeLeft();
  const draw = () => {
    lastDraw = clock();
    line.show(progressText(stage, fraction, message, timeLeft.seconds(lastDraw)));
  };
  let ticker: NodeJS.Timeout | undefined;
  if (line.terminal) {
    ticker = setInterval(() => stage && draw(), TICK_MS);
    ticker.unref();
  }
  return {
    update(f, s, m) {
      const now = clock();
      const newStage = s !== stage;
      timeLeft.update(s, f, now);
      stage = s;
      fraction = f;
      message = m;
      if (!line.terminal) {
        if (newStage) line.print(`${s}: ${m}`);
        return;
      }
      if (newStage || now - lastDraw >= REDRAW_MS) draw();
    },
    done(text) {
      if (ticker) clearInterval(ticker);
      line.clear();
      line.print(text);
    },
  };
}
