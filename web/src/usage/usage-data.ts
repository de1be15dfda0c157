import { t } from '../i18n';

// The usage reports as the Usage page draws them: rows of /usage/daily summed by
// one dimension, and days × series for the chart over time. Pure functions, so
// the numbers of each chart can be compared with the API's CSV.

export interface UsageRow {
  day?: string;
  collection?: string;
  service?: string;
  operation?: string;
  format?: string;
  country?: string;
  client?: string;
  status?: string;
  requests: number;
  bytes: number;
  latencyMs: number;
}

export type Dimension = 'collection' | 'service' | 'operation' | 'format' | 'country' | 'client' | 'status';

export interface Total {
  key: string;
  requests: number;
  bytes: number;
}

// The formats that are downloads (whole files), and the operations that draw a map.
export const DOWNLOAD_FORMATS = new Set(['csv', 'kml', 'gpkg', 'shapezip', 'flatgeobuf', 'geotiff']);
const MAP_VIEWS = new Set(['wms|GetMap', 'wmts|GetTile', 'maps|tile', 'tiles|tile']);

export function isDownload(r: UsageRow): boolean {
  return DOWNLOAD_FORMATS.has(r.format ?? '');
}

export function isMapView(r: UsageRow): boolean {
  return MAP_VIEWS.has(`${r.service}|${r.operation}`);
}

// Requests and bytes per value of `by`, most requested first (ties by name).
export function totalsBy(rows: UsageRow[], by: Dimension): Total[] {
  const sums = new Map<string, Total>();
  for (const r of rows) {
    const key = r[by] ?? '';
    const t = sums.get(key) ?? { key, requests: 0, bytes: 0 };
    t.requests += r.requests;
    t.bytes += r.bytes;
    sums.set(key, t);
  }
  return [...sums.values()].sort((a, b) => b.requests - a.requests || a.key.localeCompare(b.key));
}

// Every day from `from` to `to` (YYYY-MM-DD, UTC), inclusive.
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end && out.length < 3660; t += 86400000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

// Requests per day for each of the `top` most requested values of `by` (the rest
// summed as "other"): the chart over time. Days without requests are 0.
export function seriesOverTime(rows: UsageRow[], by: Dimension, days: string[], top = 5):
    { names: string[]; values: number[][] } {
  const ranked = totalsBy(rows, by).map((t) => t.key);
  const names = ranked.slice(0, top);
  const hasOther = ranked.length > top;
  if (hasOther) names.push('other'); // a key of the data, shown through label()
  const index = new Map(days.map((d, i) => [d, i]));
  const values = names.map(() => days.map(() => 0));
  for (const r of rows) {
    const day = index.get(r.day ?? '');
    if (day === undefined) continue;
    let s = names.indexOf(r[by] ?? '');
    if (s < 0 || (hasOther && s === names.length - 1 && r[by] !== 'other')) s = names.length - 1;
    values[s][day] += r.requests;
  }
  return { names, values };
}

export function label(key: string): string {
  if (key === '') return t('usage.none');
  return key === 'other' ? t('usage.other') : key;
}
