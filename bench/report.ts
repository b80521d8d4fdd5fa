/**
 * The bench's output: `bench-results.json`, merged group by group so a partial run
 * (`--only sqs`) refreshes its groups and keeps the others, and the table printed from it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Figure, GroupFigures, TargetVerdict } from './benchmark.ts';

/** The contents of `bench-results.json`: group name -> that group's figures. */
export type BenchResults = Readonly<Record<string, GroupFigures>>;

/** Reads earlier results; none yet is an empty set. A damaged file is an error, not overwritten. */
export async function readResults(file: string): Promise<BenchResults> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON; fix or delete it`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${file} does not hold an object of groups; fix or delete it`);
  return parsed as BenchResults;
}

/** `previous` with each group of `fresh` replacing the group of the same name whole. */
export function mergeResults(previous: BenchResults, fresh: BenchResults): BenchResults {
  return { ...previous, ...fresh };
}

/** Writes the results as indented JSON. */
export async function writeResults(file: string, results: BenchResults): Promise<void> {
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
}

/**
 * The printed table of `groups`: each group's plain figures as `name value` rows, nested
 * figures (e.g. `e2e.usage`) flattened into `name.key` rows, and each list of named records
 * (e.g. `functions`) as a sub-table with one row per record.
 */
export function formatTable(results: BenchResults, groups: readonly string[]): string {
  const lines: string[] = [];
  for (const group of groups) {
    const figures = results[group];
    if (figures === undefined) continue;
    lines.push(`== ${group}`);
    const plain: string[][] = [];
    const tables: string[] = [];
    const collect = (name: string, value: Figure) => {
      if (isListOfRecords(value)) tables.push(formatRecords(name, value));
      else if (isRecord(value)) for (const [key, nested] of Object.entries(value)) collect(`${name}.${key}`, nested);
      else plain.push([name, formatFigure(value)]);
    };
    for (const [name, value] of Object.entries(figures)) collect(`${group}.${name}`, value);
    if (plain.length > 0) lines.push(alignColumns(plain));
    lines.push(...tables);
  }
  return lines.join('\n');
}

function isRecord(value: Figure): value is { readonly [key: string]: Figure } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One line per verdict: `ok`, `MISSED` or `n/a`, the target and the measured value. */
export function formatVerdicts(verdicts: readonly TargetVerdict[]): string {
  return alignColumns(verdicts.map((verdict) => [verdict.met === undefined ? 'n/a' : verdict.met ? 'ok' : 'MISSED', verdict.target, formatFigure(verdict.actual)]));
}

/** Numbers at a precision fit to read: counts and rates whole, ratios and milliseconds to 3 decimals. */
function formatFigure(value: Figure | undefined): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number') return Number.isInteger(value) || Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(3);
  if (Array.isArray(value)) return value.map((item) => formatFigure(item)).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function isListOfRecords(value: Figure): value is readonly { readonly [key: string]: Figure }[] {
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item));
}

function formatRecords(title: string, records: readonly { readonly [key: string]: Figure }[]): string {
  const columns = [...new Set(records.flatMap((record) => Object.keys(record)))];
  const rows = records.map((record) => columns.map((column) => formatFigure(record[column])));
  return `${title}\n${alignColumns([columns, ...rows])}`;
}

/** Left-aligned text, right-aligned numbers, two spaces between columns. */
function alignColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  const numeric = /^-?[\d,]+(\.\d+)?$/;
  return rows
    .map((row) => row.map((cell, index) => (numeric.test(cell) ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0))).join('  ').trimEnd())
    .join('\n');
}
