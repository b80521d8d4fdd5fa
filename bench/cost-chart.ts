/**
 * The cost curve as an SVG chart: Vega-Lite compiles a line chart of USD per million orders
 * against orders a second (both log scales), the design beside the naive design, and Vega
 * renders it headless (the `none` renderer draws no canvas, so no browser and no native module).
 * @see https://vega.github.io/vega/usage/#view-api
 */
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';
import type { CostCurvePoint } from './cost-curve.ts';

/** The two series, as the legend names them. */
export const CURVE_SERIES = { design: 'the pipeline', naive: 'naive design' } as const;

/** The SVG document of `curve`. */
export async function costCurveSvg(curve: readonly CostCurvePoint[]): Promise<string> {
  const values = curve.flatMap((point) => [
    { ordersPerSecond: point.ordersPerSecond, usdPerMillionOrders: point.perMillionOrders, design: CURVE_SERIES.design },
    { ordersPerSecond: point.ordersPerSecond, usdPerMillionOrders: point.naivePerMillionOrders, design: CURVE_SERIES.naive },
  ]);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Cost per million orders on AWS, by order rate',
    width: 480,
    height: 300,
    background: 'white',
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'ordersPerSecond', type: 'quantitative', scale: { type: 'log' }, title: 'orders per second', axis: { values: curve.map((point) => point.ordersPerSecond), format: ',' } },
      y: { field: 'usdPerMillionOrders', type: 'quantitative', scale: { type: 'log' }, title: 'USD per million orders' },
      color: { field: 'design', type: 'nominal', title: null, sort: [CURVE_SERIES.design, CURVE_SERIES.naive] },
      tooltip: [{ field: 'usdPerMillionOrders', type: 'quantitative', format: '$.2f' }],
    },
  };
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
