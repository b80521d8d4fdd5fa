import { describe, expect, it } from 'vitest';
import { costCurveSvg, CURVE_SERIES } from '../../bench/cost-chart.ts';

describe('costCurveSvg', () => {
  it('draws both designs against the curve\'s rates as an SVG document', async () => {
    // Prepare
    const curve = [
      { ordersPerSecond: 1, perMillionOrders: 30, naivePerMillionOrders: 48 },
      { ordersPerSecond: 10, perMillionOrders: 28, naivePerMillionOrders: 46 },
      { ordersPerSecond: 100, perMillionOrders: 25, naivePerMillionOrders: 46 },
    ];

    // Act
    const svg = await costCurveSvg(curve);

    // Assess: the axes' ticks and titles, the legend, and one line per design.
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(texts).toEqual(expect.arrayContaining(['1', '10', '100', 'orders per second', 'USD per million orders', CURVE_SERIES.design, CURVE_SERIES.naive]));
    expect(svg.match(/class="mark-line role-mark/g)).toHaveLength(2);
    expect(svg).toContain(`USD per million orders: 25; design: ${CURVE_SERIES.design}`);
    expect(svg).toContain(`USD per million orders: 46; design: ${CURVE_SERIES.naive}`);
  });
});
