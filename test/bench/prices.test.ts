import { describe, expect, it } from 'vitest';
import { PRICES, PRICES_TAKEN_ON } from '../../bench/prices.ts';

describe('PRICES', () => {
  it.each(Object.entries(PRICES))('%s is a positive price with an AWS pricing page as its source', (_name, price) => {
    expect(price.usd).toBeGreaterThan(0);
    expect(price.unit).not.toBe('');
    expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\/[a-z-]+\/pricing\//);
  });

  it('prices arm64 below x86_64, as Lambda does (about 20%)', () => {
    expect(PRICES.lambdaGbSecondArm64.usd / PRICES.lambdaGbSecondX86.usd).toBeCloseTo(0.8, 2);
  });

  it('prices a read unit below a write unit, as DynamoDB on-demand does (one fifth)', () => {
    expect(PRICES.dynamoDbReadRequestUnits.usd * 5).toBeCloseTo(PRICES.dynamoDbWriteRequestUnits.usd, 10);
  });

  it('says when the prices were taken, as a calendar date', () => {
    expect(PRICES_TAKEN_ON).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Number.isNaN(Date.parse(PRICES_TAKEN_ON))).toBe(false);
  });
});
