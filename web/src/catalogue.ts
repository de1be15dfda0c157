import { t } from './i18n';

// What the portal knows of a layer: the collection's metadata and queryables, and
// which properties play the parts the viewer needs (name, country, status,
// commodity). Pure functions of server documents: unit-tested without a server.

export type PropertyType = 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'date-time';

export interface Property {
  name: string;
  title: string;
  type: PropertyType;
  values?: Array<string | number>; // the queryable's enum, when the server gives one
}

export interface Roles {
  name?: string;
  country?: string;
  status?: string;
  commodity?: string;
}

export interface LayerInfo {
  id: string;
  title: string;
  description: string;
  kind: 'vector' | 'raster';
  geometryType: string; // "point", "multipolygon"...; "" for a raster
  properties: Property[];
  roles: Roles;
  extent?: [number, number, number, number]; // CRS84
  attribution?: string;
  licence?: string;
  styles?: string[]; // the WMS styles, the one drawn first
  keywords?: string[];
}

interface JsonSchemaProperty {
  title?: string;
  type?: string;
  format?: string;
  enum?: Array<string | number>;
}

// The queryables' properties, in their order, without the geometry.
export function propertiesOf(queryables: { properties?: Record<string, JsonSchemaProperty> }): Property[] {
  const out: Property[] = [];
  for (const [name, p] of Object.entries(queryables.properties ?? {})) {
    if (p.format?.startsWith('geometry') || name === 'geometry') continue;
    let type: PropertyType = 'string';
    if (p.type === 'number' || p.type === 'integer' || p.type === 'boolean') type = p.type;
    else if (p.format === 'date' || p.format === 'date-time') type = p.format;
    out.push({ name, title: p.title && p.title !== name ? p.title : humanName(name), type, values: p.enum });
  }
  return out;
}

// "mine_name_non_eng" -> "Mine name non eng"; "iso3" -> "ISO3".
export function humanName(name: string): string {
  if (/^iso\d?$/i.test(name) || /^gid_\d$/i.test(name)) return name.toUpperCase();
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const COUNTRY = ['iso3', 'iso_a3', 'adm0_a3', 'country_code', 'country_iso3'];
const STATUS = ['status', 'activity_status', 'mine_status', 'operating_status'];
const COMMODITY = ['primary_commodity', 'commodity', 'commodities', 'commodities_products', 'main_commodity', 'coal_type'];

function first(candidates: string[], names: Set<string>): string | undefined {
  return candidates.find((c) => names.has(c));
}

// The properties that name a feature, its country (ISO 3166 alpha-3), its status
// and its commodity, by the names the ASEAN+3 datasets use.
export function rolesOf(properties: Property[]): Roles {
  const strings = new Set(properties.filter((p) => p.type === 'string').map((p) => p.name));
  const roles: Roles = {
    country: first(COUNTRY, strings),
    status: first(STATUS, strings),
    commodity: first(COMMODITY, strings),
  };
  const names = [...strings];
  roles.name =
    names.find((n) => n === 'name') ??
    names.find((n) => /_name$/.test(n) && !/(non_eng|akas|other|sub_site|complex)/.test(n)) ??
    names.find((n) => /name/.test(n));
  return roles;
}

interface CollectionDocument {
  id: string;
  title?: string;
  description?: string;
  itemType?: string;
  extent?: { spatial?: { bbox?: number[][] } };
  attribution?: string;
  license?: string;
  keywords?: string[];
}

export function layerOf(collection: CollectionDocument, queryables: { properties?: Record<string, JsonSchemaProperty> },
): LayerInfo {
  const properties = propertiesOf(queryables);
  const geometry = Object.values(queryables.properties ?? {}).find((p) => p.format?.startsWith('geometry'));
  const box = collection.extent?.spatial?.bbox?.[0];
  return {
    id: collection.id,
    title: collection.title ?? collection.id,
    description: collection.description ?? '',
    kind: 'vector',
    geometryType: geometry?.format?.replace('geometry-', '') ?? 'any',
    properties,
    roles: rolesOf(properties),
    extent: box && box.length >= 4 ? [box[0], box[1], box[2], box[3]] : undefined,
    attribution: collection.attribution,
    licence: collection.license,
    keywords: collection.keywords ?? [],
  };
}

// A value as a reader wants it: numbers with a thousands separator kept short,
// URLs as they are, nothing for null.
export function displayValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  // A catalogue record's lists and groups (keywords, contacts) as the reviewer reads them.
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// Does the layer match every word of a catalogue search (title, description,
// keywords, attribution; any case)?
export function matchesSearch(layer: LayerInfo, text: string): boolean {
  const haystack = [layer.title, layer.description, layer.attribution ?? '', ...(layer.keywords ?? [])].join(' ').toLowerCase();
  return text.toLowerCase().split(/\s+/).filter(Boolean).every((word) => haystack.includes(word));
}
