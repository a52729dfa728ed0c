// Progress of one episode on stderr: a bar redrawn in place on a terminal, plain lines otherwise
// (logs, CI), so piping stderr to a file does not fill it with carriage returns.
export interface ProgressBar {
  update(fraction: number, stage: string, message: string): void;
  done(message: string): void;
}

const WIDTH = 24;

export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const tty = Boolean(stream.isTTY);
  let lastStage = "";
  let lastTenth = -1;
  let lastDraw = 0;
  const pct = (f: number) => `${Math.round(f * 100)}`.padStart(3) + "%";
  return {
    update(fraction, stage, message) {
      const f = Math.min(1, Math.max(0, fraction));
      if (tty) {
        const now = Date.now();
        if (stage === lastStage && now - lastDraw < 100) return;
        lastDraw = now;
        lastStage = stage;
        const filled = Math.round(f * WIDTH);
        const line = `${stage.padEnd(10)} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${pct(f)} ${message}`;
        stream.write(`\r\x1b[K${line.slice(0, (stream.columns || 100) - 1)}`);
        return;
      }
      const tenth = Math.floor(f * 10);
      if (stage === lastStage && tenth === lastTenth) return;
      lastStage = stage;
      lastTenth = tenth;
      stream.write(`[${pct(f)}] ${stage}: ${message}\n`);
    },
    done(message) {
      stream.write(tty ? `\r\x1b[K${message}\n` : `${message}\n`);
    },
  };
}
