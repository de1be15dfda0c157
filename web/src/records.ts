// The metadata catalogue as the portal searches it: OGC API - Records at
// /collections/catalog/items (free text `q`, `bbox`, facets with counts, paging),
// the facet choices as a CQL2 filter, and the records read into what the Data tab
// shows. Pure functions of server documents: unit-tested without a server.
import { literal } from './cql2';
import { t } from './i18n';

export const CATALOG_PATH = '/collections/catalog';

export const FACETS = ['keyword', 'country', 'theme', 'type', 'format'] as const;
export type FacetName = (typeof FACETS)[number];

// Their titles' keys in web/i18n.
export const FACET_TITLES: Record<FacetName, string> = {
  keyword: 'catalogue.facet.keyword', country: 'catalogue.facet.country', theme: 'catalogue.facet.theme',
  type: 'catalogue.facet.type', format: 'catalogue.facet.format',
};

export interface CatalogueSearch {
  text: string; // free text, the words of `q` (any word, ranked)
  bbox?: [number, number, number, number]; // CRS84; records whose extent meets it
  chosen: Partial<Record<FacetName, string[]>>; // facet values: any of a facet's, every facet
  offset: number;
  limit: number;
}

export interface Bucket { value: string; count: number }

export interface RecordLink { href: string; rel: string; type?: string; title?: string; protocol?: string; name?: string }

export interface RecordSummary {
  id: string;
  title: string;
  description: string;
  type: string;
  country?: string;
  keywords: string[];
  formats: string[];
  extent?: [number, number, number, number];
  updated?: string;
  origin?: string; // "authored" (people keep it), "derived" (AMIS's own data), "harvested"
  links: RecordLink[];
}

export interface RecordsPage {
  records: RecordSummary[];
  matched: number;
  facets: Partial<Record<FacetName, Bucket[]>>;
}

// The queryable each facet filters on, and whether it is a list.
const FACET_PROPERTY: Record<Exclude<FacetName, 'type'>, { property: string; list: boolean }> = {
  keyword: { property: 'keywords', list: true },
  theme: { property: 'themes', list: true },
  format: { property: 'formats', list: true },
  country: { property: 'country', list: false },
};

// The facet choices other than `type` (a parameter of its own) as one CQL2 text
// filter: any of the values of a facet, all facets. Undefined when none is chosen.
export function facetFilter(chosen: CatalogueSearch['chosen']): string | undefined {
  const parts: string[] = [];
  for (const name of FACETS) {
    if (name === 'type') continue;
    const values = chosen[name] ?? [];
    if (!values.length) continue;
    const { property, list } = FACET_PROPERTY[name];
    const items = values.map(literal).join(', ');
    if (list) parts.push(`A_OVERLAPS(${property}, (${items}))`);
    else parts.push(values.length === 1 ? `${property} = ${items}` : `${property} IN (${items})`);
  }
  return parts.length ? parts.join(' AND ') : undefined;
}

// The words of the free text as `q` takes them (a comma separates q's terms: the
// words are given as terms, so any of them matches and the best come first).
export function queryTerms(text: string): string[] {
  return text.split(/[\s,]+/).map((w) => w.trim()).filter(Boolean).slice(0, 20);
}

// A bbox as the server takes it: inside CRS84's range, west <= east, rounded.
export function clampBbox(box: [number, number, number, number]): [number, number, number, number] {
  const round = (v: number) => Math.round(v * 1e5) / 1e5;
  const lon = (v: number) => round(Math.min(180, Math.max(-180, v)));
  const lat = (v: number) => round(Math.min(90, Math.max(-90, v)));
  const [w, s, e, n] = box;
  if (e - w >= 360) return [-180, lat(s), 180, lat(n)];
  return [lon(w), lat(s), lon(e), lat(n)];
}

// The query string of a search (facets counted on every search).
export function searchParams(search: CatalogueSearch): URLSearchParams {
  const p = new URLSearchParams({ f: 'json', limit: String(search.limit), facets: 'true' });
  const terms = queryTerms(search.text);
  if (terms.length) p.set('q', terms.join(','));
  if (search.bbox) p.set('bbox', clampBbox(search.bbox).join(','));
  const types = search.chosen.type ?? [];
  if (types.length) p.set('type', types.join(','));
  const filter = facetFilter(search.chosen);
  if (filter) {
    p.set('filter', filter);
    p.set('filter-lang', 'cql2-text');
  }
  if (search.offset > 0) p.set('offset', String(search.offset));
  return p;
}

interface RecordFeature {
  id: string;
  geometry?: { type: string; coordinates: number[][][] } | null;
  properties?: Record<string, unknown>;
  links?: RecordLink[];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

// The keywords of a record's properties: plain strings, or ISO keyword groups
// ({keywords: [...], thesaurus}) as OGC API - Records writes them.
function keywordsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const k of value) {
    if (typeof k === 'string') out.push(k);
    else if (k && typeof k === 'object') {
      const group = k as { keywords?: unknown; keyword?: unknown };
      out.push(...strings(group.keywords));
      if (typeof group.keyword === 'string') out.push(group.keyword);
    }
  }
  return [...new Set(out)];
}

function extentOf(geometry: RecordFeature['geometry']): RecordSummary['extent'] {
  const ring = geometry?.type === 'Polygon' ? geometry.coordinates[0] : undefined;
  if (!ring?.length) return undefined;
  const xs = ring.map((c) => c[0]);
  const ys = ring.map((c) => c[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

export function recordOf(feature: RecordFeature): RecordSummary {
  const p = feature.properties ?? {};
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const formats = Array.isArray(p.formats)
    ? p.formats.map((f) => (typeof f === 'string' ? f : (f as { name?: string })?.name ?? '')).filter(Boolean)
    : [];
  return {
    id: feature.id,
    title: text(p.title) ?? feature.id,
    description: text(p.description) ?? '',
    type: text(p.type) ?? '',
    country: text(p.country),
    keywords: keywordsOf(p.keywords),
    formats,
    extent: extentOf(feature.geometry),
    updated: text(p.updated),
    origin: text(p.origin),
    links: feature.links ?? [],
  };
}

export function pageOf(document: {
  features?: RecordFeature[];
  numberMatched?: number;
  facets?: Record<string, { buckets?: Bucket[] }>;
}): RecordsPage {
  const facets: RecordsPage['facets'] = {};
  for (const name of FACETS) {
    const buckets = document.facets?.[name]?.buckets;
    if (buckets) facets[name] = buckets.filter((b) => typeof b.value === 'string' && typeof b.count === 'number');
  }
  const records = (document.features ?? []).map(recordOf);
  return { records, matched: document.numberMatched ?? records.length, facets };
}

// The map layer an AMIS record describes, when the portal has it: the collection
// its OGC API - Features link names, or the WMS layer of a raster's record.
export function layerIdOf(record: RecordSummary, layers: ReadonlySet<string>): string | undefined {
  for (const l of record.links) {
    const name = l.name ?? '';
    if (!layers.has(name)) continue;
    if (l.rel === 'collection' || l.rel === 'items' || l.protocol === 'OGC:WMS') return name;
  }
  return undefined;
}

// Chooses or drops one facet value; a new choice starts again at the first page.
export function toggled(search: CatalogueSearch, facet: FacetName, value: string): CatalogueSearch {
  const now = search.chosen[facet] ?? [];
  const next = now.includes(value) ? now.filter((v) => v !== value) : [...now, value];
  return { ...search, chosen: { ...search.chosen, [facet]: next }, offset: 0 };
}

// "Showing 11–20 of 1,234".
export function pageLabel(page: RecordsPage, offset: number): string {
  if (!page.matched) return t('catalogue.noMatch');
  return t('catalogue.showing', { first: offset + 1, last: offset + page.records.length, total: page.matched });
}
