import { describe, expect, it } from 'vitest';

import { formatEstimate, formatMetricTable } from './metric-table';

describe('formatEstimate', () => {
  it('prints the value with its interval, or alone', () => {
    expect(formatEstimate({ value: 0.61234, lo: 0.6, hi: 0.625 })).toBe('0.612 [0.600, 0.625]');
    expect(formatEstimate({ value: 0.7 })).toBe('0.700');
    expect(formatEstimate({ value: 0.7, lo: null, hi: null })).toBe('0.700');
  });
});

describe('formatMetricTable', () => {
  it('has one row per interval metric and one column per split, ignoring other fields', () => {
    const splits = {
      id_test: { macro_f1: { value: 0.6, lo: 0.5, hi: 0.7 }, n: 10, confusion: [[1]] },
      ood_test: {
        macro_f1: { value: 0.4, lo: 0.3, hi: 0.5 },
        rmse: { value: 0.9, lo: 0.8, hi: 1 },
      },
    };
    expect(formatMetricTable(splits, ['id_test', 'ood_test'])).toBe(
      [
        'metric    id_test               ood_test',
        'macro_f1  0.600 [0.500, 0.700]  0.400 [0.300, 0.500]',
        'rmse      –                     0.900 [0.800, 1.000]',
      ].join('\n'),
    );
  });

  it('is empty when there is nothing to show', () => {
    expect(formatMetricTable({}, ['id_test'])).toBe('');
    expect(formatMetricTable({ id_test: 'n/a' }, ['id_test'])).toBe('');
  });
});
