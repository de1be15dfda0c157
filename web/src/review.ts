// The reviewer's view of a change set: one row per change, with what differs.
import { displayValue } from './catalogue';
import { t } from './i18n';
import { displayFieldValue, fieldLabel } from './country/profile-form';

export interface ReviewChange {
  seq: number;
  featureId: number | null;
  operation: 'insert' | 'replace' | 'delete' | string;
  before: GeoJSON | null;
  after: GeoJSON | null;
  properties: Array<{ name: string; before: unknown; after: unknown }>;
  geometryChanged: boolean;
  problems: string[] | Array<{ message?: string; kind?: string }>;
}

export interface GeoJSON {
  type: 'Feature';
  id?: number | string;
  geometry: unknown;
  properties: Record<string, unknown>;
}

export interface DiffRow {
  change: number;
  feature: string;
  operation: string;
  property: string;
  before: string;
  after: string;
}

export function operationLabel(operation: string): string {
  const key = `review.operation.${operation}`;
  const label = t(key);
  return label === key ? operation : label;
}

export function problemText(problem: unknown): string {
  if (typeof problem === 'string') return problem;
  if (problem && typeof problem === 'object') {
    const p = problem as Record<string, unknown>;
    return String(p.message ?? p.description ?? p.kind ?? JSON.stringify(p));
  }
  return String(problem);
}

// The rows of the diff table: a row per differing property, one for a moved
// geometry, and one for a new or deleted feature without differences listed.
export function diffRows(changes: ReviewChange[], nameProperty?: string): DiffRow[] {
  const rows: DiffRow[] = [];
  for (const c of changes) {
    const feature = featureLabel(c, nameProperty);
    const base = { change: c.seq, feature, operation: operationLabel(c.operation) };
    for (const p of c.properties) rows.push({ ...base, property: p.name, before: displayValue(p.before), after: displayValue(p.after) });
    if (c.geometryChanged && c.operation === 'replace') rows.push({ ...base, property: t('review.geometry'), before: t('review.oldPosition'), after: t('review.moved') });
    if (!c.properties.length && !(c.geometryChanged && c.operation === 'replace'))
      rows.push({ ...base, property: '', before: c.operation === 'insert' ? '' : t('review.wholeFeature'), after: c.operation === 'delete' ? '' : t('review.wholeFeature') });
  }
  return rows;
}

export function featureLabel(c: ReviewChange, nameProperty?: string): string {
  const f = c.after ?? c.before;
  const name = nameProperty && f ? f.properties[nameProperty] : undefined;
  const id = c.featureId ?? f?.id;
  const idText = id === null || id === undefined ? t('review.new') : `#${id}`;
  return name ? `${String(name)} (${idText})` : idText;
}

// A country profile's change (collection country_profiles): its `fields` property is
// the profile document as JSON text, shown as a row per profile field that differs,
// each side its value, source and as-of date.
interface ProfileEntry { value: string | number; source: string; asOf: string }

function profileDocument(value: unknown): Record<string, ProfileEntry> {
  if (typeof value !== 'string') return {};
  try {
    const doc = JSON.parse(value) as unknown;
    return doc && typeof doc === 'object' && !Array.isArray(doc) ? doc as Record<string, ProfileEntry> : {};
  } catch {
    return {};
  }
}

function entryText(entry: ProfileEntry | undefined, type: string): string {
  if (!entry) return t('review.profileEmpty');
  return t('review.profileEntry', { value: displayFieldValue({ type, value: entry.value }), source: entry.source, asOf: entry.asOf });
}

// `types`: each profile field's type by key (percentages read "35 %").
export function profileDiffRows(changes: ReviewChange[], types: ReadonlyMap<string, string> = new Map()): DiffRow[] {
  const rows: DiffRow[] = [];
  for (const c of changes) {
    const others = { ...c, properties: c.properties.filter((p) => p.name !== 'fields') };
    const fields = c.properties.find((p) => p.name === 'fields');
    if (!fields) {
      rows.push(...diffRows([c], 'iso3'));
      continue;
    }
    const base = { change: c.seq, feature: featureLabel(c, 'iso3'), operation: operationLabel(c.operation) };
    const before = profileDocument(fields.before);
    const after = profileDocument(fields.after);
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    const order = [...types.keys()];
    keys.sort((a, b) => (order.indexOf(a) >>> 0) - (order.indexOf(b) >>> 0));
    for (const key of keys) {
      if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
      const type = types.get(key) ?? 'text';
      rows.push({ ...base, property: fieldLabel(key), before: entryText(before[key], type), after: entryText(after[key], type) });
    }
    if (others.properties.length) rows.push(...diffRows([{ ...others, geometryChanged: false }], 'iso3'));
  }
  return rows;
}
