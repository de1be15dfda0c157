import { describe, expect, it } from 'vitest';
import { daysBetween, isDownload, isMapView, seriesOverTime, totalsBy, type UsageRow } from '../src/usage/usage-data';
import { monthlyUrl, requestsPerMonth, stateUrl, type StateRow } from '../src/usage/member-state-usage';

const row = (day: string, collection: string, service: string, operation: string, requests: number, format = ''): UsageRow =>
  ({ day, collection, service, operation, format, country: 'THA', requests, bytes: requests * 10, latencyMs: 1 });

const rows = [
  row('2026-12-01', 'coal_mines', 'wms', 'GetMap', 3),
  row('2026-12-01', 'countries', 'features', 'items', 1, 'csv'),
  row('2026-12-03', 'coal_mines', 'features', 'items', 2),
];

describe('usage data', () => {
  it('sums by a dimension, most requested first', () => {
    expect(totalsBy(rows, 'collection')).toEqual([
      { key: 'coal_mines', requests: 5, bytes: 50 },
      { key: 'countries', requests: 1, bytes: 10 },
    ]);
  });
  it('fills the days without requests with 0', () => {
    const days = daysBetween('2026-12-01', '2026-12-03');
    expect(days).toEqual(['2026-12-01', '2026-12-02', '2026-12-03']);
    expect(seriesOverTime(rows, 'service', days)).toEqual({ names: ['features', 'wms'], values: [[1, 0, 2], [3, 0, 0]] });
  });
  it('puts what is beyond the top values under other', () => {
    const s = seriesOverTime(rows, 'collection', daysBetween('2026-12-01', '2026-12-01'), 1);
    expect(s).toEqual({ names: ['coal_mines', 'other'], values: [[3], [1]] });
  });
  it('knows downloads and map views', () => {
    expect(rows.filter(isDownload).length).toBe(1);
    expect(rows.filter(isMapView).length).toBe(1);
  });
});

describe('member-state usage', () => {
  const stateRow = (month: string, collection: string, country: string, requests: number): StateRow =>
    ({ month, collection, relation: 'features', country, requests, bytes: 0, features: requests * 2 });
  it('sums the requests of each month, months in order', () => {
    const months = requestsPerMonth([stateRow('2026-12', 'coal_mines', 'THA', 2), stateRow('2026-11', 'countries', 'SGP', 1),
      stateRow('2026-12', 'countries', 'unknown', 4)]);
    expect([...months]).toEqual([['2026-11', 1], ['2026-12', 6]]);
  });
  it('asks the API for a state and a month report with escaped codes', () => {
    expect(stateUrl('http://h', 'THA', '2026-01', '2026-12', 'csv')).toBe('http://h/usage/member-states/THA?from=2026-01&to=2026-12&f=csv');
    expect(monthlyUrl('http://h', '2026-12', 'pdf')).toBe('http://h/usage/monthly/2026-12?f=pdf');
  });
});
