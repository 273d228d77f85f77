/** A one-line progress bar on stderr, drawn only when stderr is a terminal (never in pipes or logs). */
export class ProgressBar {
  private readonly enabled: boolean;
  private readonly started = Date.now();

  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = Boolean(stream.isTTY) && total > 1;
  }

  update(done: number, label = ''): void {
    if (!this.enabled) return;
    const width = 30;
    const filled = Math.round((done / this.total) * width);
    const elapsed = (Date.now() - this.started) / 1000;
    const eta = done > 0 ? Math.round((elapsed / done) * (this.total - done)) : 0;
    const columns = this.columns();
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${this.total} ETA ${eta}s ${label}`;
    this.stream.write(`\r${line.slice(0, columns - 1).padEnd(columns - 1)}`);
  }

  /** Terminal width; a pseudo-terminal may report 0. */
  private columns(): number {
    return Math.max(20, this.stream.columns || 80);
  }

  /** Clears the bar so messages printed after it start on a clean line. */
  clear(): void {
    if (this.enabled) this.stream.write(`\r${' '.repeat(this.columns() - 1)}\r`);
  }
}
