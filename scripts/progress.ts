// A one-line progress bar on a terminal (redrawn with \r), and plain lines where the stream is a file or a pipe.

const BAR_WIDTH = 24;

/** `[#####.....]`: `fraction` of BAR_WIDTH cells filled, clamped to [0, 1]. */
export function bar(fraction: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
}

/** Progress on one stream: `update` redraws the bar on a terminal (and shows nothing elsewhere), `line` writes a whole line. */
export class Progress {
  /** Whether the stream is a terminal, where the bar is drawn. */
  readonly tty: boolean;
  // Whether a \r progress line is on screen, waiting for its newline.
  private open = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.tty = stream.isTTY === true;
  }

  /** Redraws the bar with `text` beside it; nothing off a terminal. */
  update(text: string, fraction: number): void {
    if (!this.tty) return;
    this.open = true;
    // One column short of the terminal's width, so the line never wraps and \r always returns to its start.
    const width = (this.stream.columns || 100) - 1;
    this.stream.write(`\r${`${bar(fraction)} ${text}`.slice(0, width).padEnd(width)}`);
  }

  /** Writes `text` as a line of its own, below the bar if one is drawn. */
  line(text: string): void {
    this.end();
    this.stream.write(`${text}\n`);
  }

  /** Ends the bar's line, if one is drawn. */
  end(): void {
    if (this.open) this.stream.write('\n');
    this.open = false;
  }
}
