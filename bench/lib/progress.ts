import cliProgress from 'cli-progress';

/**
 * A progress bar for the long parts (cli-progress on a terminal; nothing when the output is piped,
 * where the section lines say what runs).
 */
export interface Bar {
  tick(n?: number, label?: string): void;
  stop(): void;
}

export function bar(title: string, total: number): Bar {
  if (!process.stderr.isTTY) return { tick: () => undefined, stop: () => undefined };
  const b = new cliProgress.SingleBar(
    { format: `  ${title.padEnd(30).slice(0, 30)} [{bar}] {value}/{total} {label}`, barsize: 30, hideCursor: true, clearOnComplete: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  b.start(total, 0, { label: '' });
  return {
    tick: (n = 1, label) => b.increment(n, label === undefined ? undefined : { label }),
    stop: () => b.stop(),
  };
}

export const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
