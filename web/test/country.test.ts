import { describe, expect, it } from 'vitest';
import { alignedSeries, countsByFirstKey, type Summary } from '../src/country/country-data';

const base = { id: 's', title: 'S', collection: 'c', groupBy: ['a', 'b'], sums: ['v'], available: true };

describe('country charts', () => {
  it('counts features per value of the first key, in the API order', () => {
    const s: Summary = { ...base, kind: 'table', groups: [
      { keys: [null, 'x'], count: 1, sums: [] }, { keys: ['Cobalt', 'x'], count: 2, sums: [] },
      { keys: ['Cobalt', 'y'], count: 3, sums: [] }, { keys: ['Tin', null], count: 5, sums: [] }] };
    expect(countsByFirstKey(s)).toEqual({ labels: ['(none)', 'Cobalt', 'Tin'], counts: [1, 5, 5] });
  });
  it('puts every series on the union of their years', () => {
    const s: Summary = { ...base, kind: 'series', series: [
      { name: 'Tin', keys: ['Tin'], points: [[2022, 10], [2023, 12]] },
      { name: 'Nickel', keys: ['Nickel'], points: [[2023, 1.5]] }] };
    expect(alignedSeries(s)).toEqual({ x: [2022, 2023], names: ['Tin', 'Nickel'], values: [[10, 12], [null, 1.5]] });
  });
});
