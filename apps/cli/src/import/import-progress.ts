/** Where a progress bar is drawn: standard error, a terminal or not. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): unknown;
}

// Redrawn at most this often: a terminal fed every row of a fast import slows it down.
const REDRAW_MS = 100;

/**
 * A progress bar of an import on a terminal, redrawn in place and cleared at the end. Draws nothing when the stream
 * is not a terminal (a pipe, a log file, a script): the summary says it all there.
 */
export class ImportProgress {
  private drawnAt: number | undefined;

  constructor(
    private readonly stream: ProgressStream,
    private readonly total: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** `done` of the rows are through. */
  update(done: number): void {
    if (!this.stream.isTTY) return;
    const now = this.now();
    if (done < this.total && this.drawnAt !== undefined && now - this.drawnAt < REDRAW_MS) return;
    this.drawnAt = now;
    this.stream.write(`\r${progressLine(done, this.total, this.stream.columns ?? 80)}`);
  }

  /** Clears the bar, so that what follows starts on a clean line. */
  end(): void {
    if (this.stream.isTTY && this.drawnAt !== undefined) this.stream.write('\r\u001b[2K');
  }
}

/** `[#####-----]  50% 5/10 rows`, fitted to a terminal `columns` wide. */
export function progressLine(done: number, total: number, columns: number): string {
  const counts = `${done}/${total} rows`;
  const share = total === 0 ? 1 : done / total;
  const percent = `${Math.floor(share * 100)}%`.padStart(4);
  const width = Math.max(10, Math.min(40, columns - counts.length - percent.length - 4));
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent} ${counts}`;
}
