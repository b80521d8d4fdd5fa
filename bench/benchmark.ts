/**
 * The contract between the bench runner and a benchmark group. A group measures one part of
 * the system and returns its figures; the runner merges them into `bench-results.json` under
 * the group's name and prints them, so adding a group (e2e, cost…) is one module and one line
 * in `bench/run.ts`.
 */

/** A figure of a group: a number, a label, `null` (not measurable yet), or nested figures. */
export type Figure = number | string | boolean | null | readonly Figure[] | { readonly [key: string]: Figure };

/** The figures one group produced, e.g. `{ ratioSingle: 0.91, … }` for `sqs`. */
export type GroupFigures = Readonly<Record<string, Figure>>;

/** What the runner lends a group while it runs. */
export interface BenchContext {
  /** A directory of the run's own, removed when the run ends: bundles, assemblies, profiles. */
  readonly workDirectory: string;
  /** Progress, printed at once (stderr) so a long group shows it is alive. */
  log(message: string): void;
  /** A caveat about the figures (what could not be measured, and why), printed under the table. */
  note(message: string): void;
}

/** How a figure compares with its target. */
export interface TargetVerdict {
  /** The target in words, e.g. `sqs.ratioSingle >= 0.8`. */
  readonly target: string;
  /** The measured value, `null` when it could not be measured. */
  readonly actual: number | null;
  /** Whether the target is met; `undefined` when there is nothing to judge. */
  readonly met: boolean | undefined;
}

/** A benchmark group, registered in the list in `bench/run.ts`. */
export interface BenchmarkGroup {
  /** The group's key in `bench-results.json` and in `--only`, e.g. `sqs`. */
  readonly name: string;
  /** Measures and returns the figures. Must release everything it started (servers, clients). */
  run(context: BenchContext): Promise<GroupFigures>;
  /**
   * Compares the figures with the targets, for the printed summary.
   * @default - no targets
   */
  targets?(figures: GroupFigures): readonly TargetVerdict[];
}

/** A verdict of `actual >= minimum` (or `<= maximum`), unjudged when `actual` is `null`. */
export function verdict(target: string, actual: number | null, bound: { readonly atLeast?: number; readonly atMost?: number }): TargetVerdict {
  if (actual === null) return { target, actual, met: undefined };
  const aboveMinimum = bound.atLeast === undefined || actual >= bound.atLeast;
  const belowMaximum = bound.atMost === undefined || actual <= bound.atMost;
  return { target, actual, met: aboveMinimum && belowMaximum };
}
