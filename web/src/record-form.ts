// The editors' record form (issue 15): the ISO 19115 core elements of a catalogue
// record as the form holds them (texts the user types), read from and written to
// the record's OGC API - Records GeoJSON, the body POST/PUT
// /collections/catalog/items take. The server checks the record (the ISO rules,
// country scoping, If-Match); the form only turns typed text into JSON, so that the
// server's messages are the ones the user reads. Pure functions: unit-tested
// without a server.
import { t } from './i18n';

export const TOPIC_CATEGORY_SCHEME = 'https://standards.iso.org/iso/19139/resources/gmxCodelists.xml#MD_TopicCategoryCode';
export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

// OGC API - Records `type` (catalog::kResourceTypes), ISO 19115 CI_RoleCode and
// MD_MaintenanceFrequencyCode, and the languages of the region's records (RFC 5646).
export const RESOURCE_TYPES = ['dataset', 'series', 'service', 'document', 'map', 'collection', 'software', 'model'];
export const PARTY_ROLES = ['pointOfContact', 'resourceProvider', 'custodian', 'owner', 'user', 'distributor',
  'originator', 'principalInvestigator', 'processor', 'publisher', 'author'];
export const UPDATE_FREQUENCIES = ['continual', 'daily', 'weekly', 'fortnightly', 'monthly', 'quarterly', 'biannually',
  'annually', 'asNeeded', 'irregular', 'notPlanned', 'unknown'];
export const LANGUAGES = ['en', 'id', 'ms', 'th', 'vi', 'fil', 'my', 'km', 'lo', 'zh', 'ja', 'ko'];

export interface KeywordGroupForm { thesaurus: string; keywords: string } // keywords comma-separated; '' thesaurus: free
export interface PartyForm { name: string; organisation: string; position: string; email: string; url: string; role: string }
export interface LinkForm { href: string; rel: string; type: string; protocol: string; name: string; title: string }

export interface RecordForm {
  id: string; // empty for a new record: the server gives one
  type: string;
  title: string;
  description: string;
  keywords: KeywordGroupForm[];
  contacts: PartyForm[];
  lineage: string;
  licence: string;
  rights: string;
  constraints: string; // one a line
  bbox: [string, string, string, string]; // west, south, east, north (CRS84); all empty: none
  timeStart: string;
  timeEnd: string;
  referenceSystem: string;
  updateFrequency: string;
  language: string;
  country: string; // ISO 3166 alpha-3; empty: regional (an editor's own country by the server)
  links: LinkForm[];
  // What the record holds that the form does not edit (topic categories, external ids,
  // dates, formats, a parent, a thumbnail), written back as it was read.
  keptProperties: Record<string, unknown>;
  keptThemes: unknown[];
  keptLinks: unknown[];
}

// A typed entry the form cannot turn into JSON at all (a bbox side that is no number).
export class RecordFieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

export function emptyParty(): PartyForm {
  return { name: '', organisation: '', position: '', email: '', url: '', role: 'pointOfContact' };
}

export function emptyLink(): LinkForm {
  return { href: '', rel: 'related', type: '', protocol: '', name: '', title: '' };
}

export function emptyForm(country = ''): RecordForm {
  return {
    id: '', type: 'dataset', title: '', description: '', keywords: [{ thesaurus: '', keywords: '' }],
    contacts: [emptyParty()], lineage: '', licence: '', rights: '', constraints: '', bbox: ['', '', '', ''],
    timeStart: '', timeEnd: '', referenceSystem: CRS84, updateFrequency: '', language: 'en', country, links: [],
    keptProperties: {}, keptThemes: [], keptLinks: [],
  };
}

// The properties the form edits, and those the server makes (never sent back).
const EDITED = new Set(['type', 'title', 'description', 'keywords', 'themes', 'contacts', 'lineage', 'license', 'rights',
  'constraints', 'referenceSystem', 'updateFrequency', 'language', 'country']);
const SERVER_MADE = new Set(['updated', 'origin', 'provenance', 'featureCount']);

type Json = Record<string, unknown>;

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => !!x && typeof x === 'object') : []);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

// The record's own links are the server's (self, its alternates, the catalogue, the
// parent, the licence); a thumbnail is kept as it is; the others are distribution links.
function madeByServer(rel: string, href: string): boolean {
  return ['self', 'collection', 'up', 'license'].includes(rel) || (rel === 'alternate' && href.includes('/collections/catalog/items/'));
}

function bboxOf(geometry: unknown): RecordForm['bbox'] {
  const g = geometry as { coordinates?: unknown } | null;
  const positions: number[][] = [];
  const walk = (c: unknown) => {
    if (Array.isArray(c) && typeof c[0] === 'number') positions.push(c as number[]);
    else if (Array.isArray(c)) c.forEach(walk);
  };
  walk(g?.coordinates);
  if (!positions.length) return ['', '', '', ''];
  const xs = positions.map((p) => p[0]);
  const ys = positions.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].map(String) as RecordForm['bbox'];
}

function timeOf(time: unknown): [string, string] {
  const tm = (time ?? {}) as { interval?: unknown[]; date?: unknown; timestamp?: unknown };
  const bound = (v: unknown) => (typeof v === 'string' && v !== '..' ? v : '');
  if (Array.isArray(tm.interval)) return [bound(tm.interval[0]), bound(tm.interval[1])];
  const at = bound(tm.date) || bound(tm.timestamp);
  return [at, at];
}

// The form of a record as GET /collections/catalog/items/{id}?f=json gives it.
export function formOf(feature: { id?: unknown; geometry?: unknown; time?: unknown; properties?: Json; links?: unknown }): RecordForm {
  const p = feature.properties ?? {};
  const form = emptyForm();
  form.id = typeof feature.id === 'string' ? feature.id : '';
  form.type = text(p.type) || 'dataset';
  form.title = text(p.title);
  form.description = text(p.description);
  const themes = objects(p.themes);
  const groups: KeywordGroupForm[] = [];
  const themed = new Set<string>();
  for (const theme of themes) {
    const scheme = text(theme.scheme);
    if (scheme === TOPIC_CATEGORY_SCHEME) {
      form.keptThemes.push(theme);
      continue;
    }
    const ids = objects(theme.concepts).map((c) => text(c.id)).filter(Boolean);
    ids.forEach((k) => themed.add(k));
    groups.push({ thesaurus: scheme, keywords: ids.join(', ') });
  }
  const free = strings(p.keywords).filter((k) => !themed.has(k));
  form.keywords = [{ thesaurus: '', keywords: free.join(', ') }, ...groups];
  form.contacts = objects(p.contacts).map((c) => ({
    name: text(c.name), organisation: text(c.organization), position: text(c.position),
    email: text(objects(c.emails)[0]?.value), url: text(objects(c.links)[0]?.href),
    role: strings(c.roles)[0] ?? 'pointOfContact',
  }));
  if (!form.contacts.length) form.contacts = [emptyParty()];
  form.lineage = text(p.lineage);
  form.licence = text(p.license);
  form.rights = text(p.rights);
  form.constraints = strings(p.constraints).join('\n');
  form.bbox = bboxOf(feature.geometry);
  [form.timeStart, form.timeEnd] = timeOf(feature.time);
  form.referenceSystem = text(p.referenceSystem);
  form.updateFrequency = text(p.updateFrequency);
  form.language = text((p.language as Json | undefined)?.code);
  form.country = text(p.country);
  for (const l of objects(feature.links)) {
    const rel = text(l.rel), href = text(l.href);
    if (madeByServer(rel, href)) continue;
    if (rel === 'preview') {
      form.keptLinks.push(l);
      continue;
    }
    form.links.push({ href, rel, type: text(l.type), protocol: text(l.protocol), name: text(l.name), title: text(l.title) });
  }
  for (const [key, value] of Object.entries(p)) if (!EDITED.has(key) && !SERVER_MADE.has(key)) form.keptProperties[key] = value;
  return form;
}

const words = (list: string): string[] => list.split(',').map((w) => w.trim()).filter(Boolean);

// A bbox side as a number; a side left empty is an error only when another is given.
function side(value: string, field: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n)) throw new RecordFieldError('bbox', t('recordForm.bboxNumber', { side: t(`recordForm.${field}`) }));
  return n;
}

function geometryOf(bbox: RecordForm['bbox']): Json | null {
  if (bbox.every((v) => v.trim() === '')) return null;
  const [w, s, e, n] = bbox.map((v, i) => side(v, ['west', 'south', 'east', 'north'][i]));
  return { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] };
}

function put(target: Json, key: string, value: string): void {
  if (value.trim() !== '') target[key] = value.trim();
}

function partyJson(c: PartyForm): Json | null {
  if (![c.name, c.organisation, c.position, c.email, c.url].some((v) => v.trim())) return null;
  const out: Json = { roles: [c.role || 'pointOfContact'] };
  put(out, 'name', c.name);
  put(out, 'organization', c.organisation);
  put(out, 'position', c.position);
  if (c.email.trim()) out.emails = [{ value: c.email.trim() }];
  if (c.url.trim()) out.links = [{ href: c.url.trim(), rel: 'about', type: 'text/html' }];
  return out;
}

function linkJson(l: LinkForm): Json | null {
  if (!l.href.trim()) return null;
  const out: Json = { href: l.href.trim(), rel: l.rel.trim() || 'related' };
  for (const key of ['type', 'protocol', 'name', 'title'] as const) put(out, key, l[key]);
  return out;
}

// The record's GeoJSON for POST (a new record, no id unless one was typed) or PUT.
// @throws RecordFieldError for a bbox side that is no number.
export function featureOf(form: RecordForm): Json {
  const themes: unknown[] = [...form.keptThemes];
  let free: string[] = [];
  for (const g of form.keywords) {
    const list = words(g.keywords);
    if (!list.length) continue;
    if (g.thesaurus.trim()) themes.push({ scheme: g.thesaurus.trim(), concepts: list.map((id) => ({ id })) });
    else free = [...free, ...list];
  }
  const properties: Json = { ...form.keptProperties, type: form.type, title: form.title.trim(), description: form.description.trim() };
  if (free.length) properties.keywords = [...new Set(free)];
  if (themes.length) properties.themes = themes;
  const contacts = form.contacts.map(partyJson).filter((c): c is Json => c !== null);
  if (contacts.length) properties.contacts = contacts;
  put(properties, 'lineage', form.lineage);
  put(properties, 'license', form.licence);
  put(properties, 'rights', form.rights);
  const constraints = form.constraints.split('\n').map((c) => c.trim()).filter(Boolean);
  if (constraints.length) properties.constraints = constraints;
  put(properties, 'referenceSystem', form.referenceSystem);
  put(properties, 'updateFrequency', form.updateFrequency);
  if (form.language.trim()) properties.language = { code: form.language.trim() };
  put(properties, 'country', form.country);
  const feature: Json = { type: 'Feature', geometry: geometryOf(form.bbox), properties,
    links: [...form.links.map(linkJson).filter((l): l is Json => l !== null), ...form.keptLinks] };
  if (form.id.trim()) feature.id = form.id.trim();
  const start = form.timeStart.trim(), end = form.timeEnd.trim();
  feature.time = start || end ? { interval: [start || '..', end || '..'] } : null;
  return feature;
}

// Where the form shows a server's refusal: the field its locator (or, failing that,
// its words) names; '' for the form as a whole.
export function fieldOfError(locator: string, message: string): string {
  const where = locator || '';
  const rules: Array<[RegExp, string]> = [
    [/^(extent|geometry)/, 'bbox'], [/^time/, 'time'], [/^(title|properties\.title)$/, 'title'],
    [/^(type|properties\.type)$/, 'type'], [/^(contacts|properties\.contacts)/, 'contacts'], [/^links/, 'links'],
    [/^properties\.(keywords|themes)/, 'keywords'], [/^properties\.language/, 'language'], [/^id$/, 'id'],
  ];
  for (const [pattern, field] of rules) if (pattern.test(where)) return field;
  if (/\('country'\)/.test(message)) return 'country';
  return '';
}

// The messages of a refusal as a list: an ISO 19139 schema refusal holds one message
// per offending line ("…: line 12: …; line 30: …"), each shown on its own.
export function refusalLines(message: string): string[] {
  const at = message.search(/line \d+: /);
  if (at < 0) return [message];
  const head = message.slice(0, at).replace(/[:\s]+$/, '');
  const lines = message.slice(at).split(/; (?=line \d+: )/);
  return head ? [head, ...lines] : lines;
}
