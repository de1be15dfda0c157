// The numbers the country page charts, taken from /countries/{ISO3}'s summaries as
// they are (never recomputed from features): a series summary's points per series,
// a table summary's feature counts per value of its first property.

import type { ProfileGroup } from './profile-form';

export interface SummaryGroup { keys: (string | null)[]; count: number; sums: (number | null)[] }
export interface SummarySeries { name: string; keys: (string | null)[]; points: [number, number][] }
export interface Summary {
  id: string; title: string; collection: string; kind: 'table' | 'series';
  groupBy: string[]; sums: string[]; available: boolean; reason?: string; note?: string;
  groups?: SummaryGroup[]; series?: SummarySeries[]; truncated?: boolean;
}

export interface Review { lastReviewed: string | null; staleAfter: string | null; stale: boolean; note: string }
export interface CountryDoc {
  iso3: string; name: string; asOf: string; review: Review; summaries: Summary[];
  filled: number; fieldCount: number; groups: ProfileGroup[];
}

// Feature counts per value of the first grouped property, in the order met (the API's key order).
export function countsByFirstKey(s: Summary): { labels: string[]; counts: number[] } {
  const totals = new Map<string, number>();
  for (const g of s.groups ?? []) {
    const key = g.keys[0] ?? '(none)';
    totals.set(key, (totals.get(key) ?? 0) + g.count);
  }
  return { labels: [...totals.keys()], counts: [...totals.values()] };
}

// The series on one x axis (the union of their x, ascending); a series without a
// point at an x has null there.
export function alignedSeries(s: Summary): { x: number[]; names: string[]; values: (number | null)[][] } {
  const series = s.series ?? [];
  const x = [...new Set(series.flatMap((r) => r.points.map((p) => p[0])))].sort((a, b) => a - b);
  const values = series.map((r) => {
    const at = new Map(r.points.map((p) => [p[0], p[1]]));
    return x.map((v) => at.get(v) ?? null);
  });
  return { x, names: series.map((r) => r.name), values };
}
