import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/**
 * One measured figure of `npm run bench`, against its floor: a target docs/product.md#quality-bars sets
 * (`floorKind: 'target'`, e.g. 250 KB) or a baseline measured in the same run (`'measured'`, e.g.
 * the bare handler's init time). `ratio = value / floor`; the figure passes when `ratio ≤ target`
 * (for checks that must be exact, `pass` says so and `target` is the ratio allowed).
 */
export interface Figure {
  group: string;
  name: string;
  value: number;
  unit: string;
  floor: number;
  floorKind: 'target' | 'measured';
  ratio: number;
  target: number;
  pass: boolean;
  note?: string;
}

export interface Results {
  date: string;
  node: string;
  cpuCount: number;
  cpuModel: string;
  platform: string;
  /** 1-minute load average when the bench started and when it ended: other work on the machine skews the timings. */
  loadAverage: { start: number; end: number };
  durationSeconds: number;
  /** Bench parameters (requests per route, runs per init figure…). */
  settings: Record<string, number | string>;
  figures: Figure[];
  /** Set when the bench itself broke; the figures are the ones measured before. */
  error?: string;
}

const round = (n: number, digits = 3) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);

export function figure(f: Omit<Figure, 'ratio' | 'pass'> & { pass?: boolean }): Figure {
  const ratio = f.floor === 0 ? (f.value === 0 ? 0 : Number.POSITIVE_INFINITY) : f.value / f.floor;
  const pass = f.pass ?? ratio <= f.target + 1e-9;
  return { ...f, value: round(f.value), floor: round(f.floor), ratio: round(ratio), pass };
}

export function metadata(): Pick<Results, 'node' | 'cpuCount' | 'cpuModel' | 'platform'> {
  const cpu = cpus();
  return { node: process.version, cpuCount: cpu.length, cpuModel: cpu[0]?.model ?? 'unknown', platform: `${process.platform}-${process.arch}` };
}

export const loadAverage1m = (): number => Number(loadavg()[0]!.toFixed(2));

export function writeResults(path: string, results: Results): void {
  // JSON has no Infinity: an infinite ratio (a zero floor) is written as null.
  writeFileSync(path, `${JSON.stringify(results, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
}

const fmt = (n: number, unit: string): string => {
  if (!Number.isFinite(n)) return '∞';
  if (unit === 'KB' || unit === 'ms') return n.toFixed(n >= 100 ? 1 : 2);
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
};

/** The table printed at the end: one line per figure, grouped. */
export function renderTable(figures: Figure[]): string {
  const rows = figures.map((f) => [
    f.name,
    `${fmt(f.value, f.unit)} ${f.unit}`,
    `${fmt(f.floor, f.unit)}${f.floorKind === 'target' ? ' (target)' : ''}`,
    Number.isFinite(f.ratio) ? `${f.ratio.toFixed(2)}×` : '∞',
    `≤ ${f.target}×`,
    f.pass ? 'pass' : 'FAIL',
  ]);
  const head = ['figure', 'value', 'floor', 'ratio', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out: string[] = [];
  let group = '';
  figures.forEach((f, i) => {
    if (f.group !== group) {
      group = f.group;
      out.push('', `── ${group} ${'─'.repeat(Math.max(0, widths.reduce((a, b) => a + b + 2, 0) - group.length - 4))}`, line(head));
    }
    out.push(line(rows[i]!));
    if (f.note) out.push(`    ${f.note}`);
  });
  return out.join('\n');
}
