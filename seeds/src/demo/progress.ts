// The progress bar on stderr: share done, rows written, rows per second and the time left.
const WIDTH = 28;

const clock = (seconds: number) => {
  if (!Number.isFinite(seconds)) return "--:--";
  const whole = Math.max(0, Math.round(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = String(Math.floor((whole % 3600) / 60)).padStart(2, "0");
  const rest = String(whole % 60).padStart(2, "0");
  return hours ? `${hours}:${minutes}:${rest}` : `${minutes}:${rest}`;
};

const number = (value: number) => Math.round(value).toLocaleString("en");

export class ProgressBar {
  private readonly started = performance.now();
  private lastDrawn = 0;

  /** `stream` null draws nothing (tests, server start). */
  constructor(private readonly stream: NodeJS.WriteStream | null, private readonly total: number, private readonly unit: string) {}

  update(done: number, rows: number, force = false): void {
    if (!this.stream) return;
    const now = performance.now();
    // A terminal redraws in place five times a second; a log file gets a line every five seconds.
    const interval = this.stream.isTTY ? 200 : 5000;
    if (!force && now - this.lastDrawn < interval) return;
    this.lastDrawn = now;
    const seconds = (now - this.started) / 1000;
    const share = this.total ? Math.min(1, done / this.total) : 1;
    const filled = Math.round(share * WIDTH);
    const left = share > 0 ? (seconds / share) * (1 - share) : Infinity;
    const line =
      `[${"█".repeat(filled)}${"░".repeat(WIDTH - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ` +
      `${number(done)}/${number(this.total)} ${this.unit} · ${number(rows)} rows · ${number(rows / Math.max(seconds, 0.001))} rows/s · ETA ${clock(left)}`;
    this.stream.write(this.stream.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
  }

  finish(done: number, rows: number): void {
    this.update(done, rows, true);
    if (this.stream?.isTTY) this.stream.write("\n");
  }
}
