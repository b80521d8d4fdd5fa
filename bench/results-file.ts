/** Where `npm run bench` keeps its figures: `bench-results.json` at the repository root (ignored by git). */
import { fileURLToPath } from 'node:url';

/** The results file; groups that build on another group's figures (cost on e2e) read it. */
export const RESULTS_FILE = fileURLToPath(new URL('../bench-results.json', import.meta.url));

/** The cost curve's chart, beside the results file (ignored by git too). */
export const COST_CURVE_CHART_FILE = fileURLToPath(new URL('../cost-curve.svg', import.meta.url));
