// Prints a benchmark's table and writes bench/results/<name>.json with the machine it ran on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const RESULTS_DIR = path.resolve(__dirname, '../../../bench/results');

export type Cell = string | number | boolean | null | undefined;

export interface Table {
  title: string;
  columns: string[];
  rows: Cell[][];
}

export interface Target {
  name: string;
  /** What the target asks, e.g. ">= 0.5 of baseline". */
  wants: string;
  value: number;
  met: boolean;
}

export interface BenchmarkResult {
  name: string;
  tables: Table[];
  targets: Target[];
  /** Raw figures for anyone comparing runs. */
  data: Record<string, unknown>;
  notes?: string[];
}

export function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

function format(cell: Cell): string {
  if (cell === null || cell === undefined) return '-';
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return String(cell);
    return Number.isInteger(cell)
      ? cell.toLocaleString('en-US')
      : cell.toLocaleString('en-US', { maximumFractionDigits: 2 });
  }
  if (typeof cell === 'boolean') return cell ? 'yes' : 'no';
  return cell;
}

export function renderTable(table: Table): string {
  const cells = [table.columns, ...table.rows.map((row) => row.map(format))];
  const widths = table.columns.map((_, index) =>
    Math.max(...cells.map((row) => String(row[index] ?? '').length)),
  );
  const line = (row: string[]) =>
    `| ${row.map((cell, index) => String(cell ?? '').padEnd(widths[index])).join(' | ')} |`;
  return [
    `### ${table.title}`,
    '',
    line(table.columns),
    `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`,
    ...cells.slice(1).map((row) => line(row as string[])),
  ].join('\n');
}

export function printResult(result: BenchmarkResult): void {
  const parts = result.tables.map(renderTable);
  if (result.targets.length) {
    parts.push(
      renderTable({
        title: `${result.name}: targets`,
        columns: ['target', 'wants', 'measured', 'met'],
        rows: result.targets.map((target) => [target.name, target.wants, target.value, target.met]),
      }),
    );
  }
  for (const note of result.notes ?? []) parts.push(`note: ${note}`);
  console.log(`\n${parts.join('\n\n')}\n`);
}

/** The 1, 5 and 15 minute load averages, two decimals: how busy the machine was with other work too. */
export function loadAverage(): number[] {
  return os.loadavg().map((value) => Math.round(value * 100) / 100);
}

export function writeResult(
  result: BenchmarkResult,
  startedAt: Date,
  seconds: number,
  loadAverageBefore: number[],
): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${result.name}.json`);
  const body = {
    ...result,
    startedAt: startedAt.toISOString(),
    seconds: Math.round(seconds),
    machine: machine(),
    loadAverage: { before: loadAverageBefore, after: loadAverage() },
  };
  fs.writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
  return file;
}
