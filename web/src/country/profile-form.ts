// The edit form of a country investment profile (issue 20), as data: the fields of
// /countries/{ISO3} (groups, each field with its value, source citation and as-of
// date) become the form's inputs, and what a user typed becomes the body of
// `PATCH /countries/{ISO3}` ({"fields": {key: {value, source, asOf} | null}}) with
// only the fields that changed. Every value is checked as the server checks it
// (src/invest/country_profile.cpp): text 1 to 4000 bytes of UTF-8, a year 1800 to
// 2200, a percentage 0 to 100, a date YYYY-MM-DD of the calendar, an http(s) URL;
// a filled field needs its source (1 to 1000 bytes) and its as-of date. A field
// whose three inputs are empty has no citable source and stays (or becomes) empty.
import type { Session } from '../api';
import { CATALOGUES, t } from '../i18n';

export const PROFILE_COLLECTION = 'country_profiles';
export const MAX_TEXT = 4000;
export const MAX_SOURCE = 1000;
export const MAX_URL = 2000;

export type FieldType = 'text' | 'year' | 'date' | 'percent' | 'url';
export type FieldValue = string | number;

// A field as /countries/{ISO3} gives it.
export interface ProfileField {
  key: string;
  label: string;
  type: FieldType | string;
  value: FieldValue | null;
  source: string | null;
  asOf: string | null;
  status: 'empty' | 'filled' | string;
  display?: string;
  note?: string;
}

export interface ProfileGroup { key: string; label: string; fields: ProfileField[] }

// What the form's three inputs of a field hold, as typed.
export interface FieldInput { value: string; source: string; asOf: string }

export interface FieldEntry { value: FieldValue; source: string; asOf: string }

export type Part = keyof FieldInput;
export interface FieldProblem { key: string; part: Part; message: string }

export interface ProfileEdit {
  body: { fields: Record<string, FieldEntry | null> } | null; // null: nothing changed
  changed: string[];
  problems: FieldProblem[];
}

// A field's and a group's label in the reader's language (web/i18n "profileField.<key>",
// "profileGroup.<key>"); the server's English label for a field the files do not know
// (a field list configured with `[invest] fields`).
export function fieldLabel(key: string, fallback = key): string {
  const id = `profileField.${key}`;
  return CATALOGUES.en.has(id) ? t(id) : fallback;
}

export function groupLabel(key: string, fallback = key): string {
  const id = `profileGroup.${key}`;
  return CATALOGUES.en.has(id) ? t(id) : fallback;
}

// Who gets the edit form: the country's own editors, reviewers and administrators
// (edit::EditingPolicy's rule; the server decides again on every PATCH).
export function mayEditProfile(session: Session | null, iso3: string): boolean {
  if (!session) return false;
  if (session.role === 'admin' || session.role === 'reviewer') return true;
  return session.role === 'editor' && session.country === iso3;
}

// The inputs of a published field (empty for an empty one).
export function inputOf(field: ProfileField): FieldInput {
  if (field.status !== 'filled' || field.value === null) return { value: '', source: '', asOf: '' };
  return { value: String(field.value), source: field.source ?? '', asOf: field.asOf ?? '' };
}

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

// YYYY-MM-DD, a day of the Gregorian calendar.
export function isDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  return d <= days;
}

// An http(s) URL as the server takes it: at most 2000 bytes, something after "://",
// no spaces, control characters, quotes or angle brackets.
export function isUrl(text: string): boolean {
  if (utf8Length(text) > MAX_URL || !/^https?:\/\/./.test(text)) return false;
  return ![...text].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f || c === '"' || c === '<' || c === '>');
}

// The typed value of a field's value input. @throws the problem's message.
function typedValue(field: ProfileField, text: string, name: string): FieldValue {
  switch (field.type) {
    case 'year': {
      const year = Number(text);
      if (!/^\d{4}$/.test(text) || year < 1800 || year > 2200) throw new Error(t('profileForm.year', { field: name }));
      return year;
    }
    case 'percent': {
      const n = Number(text);
      if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(n) || n < 0 || n > 100) throw new Error(t('profileForm.percent', { field: name }));
      return n;
    }
    case 'date':
      if (!isDate(text)) throw new Error(t('profileForm.date', { field: name }));
      return text;
    case 'url':
      if (!isUrl(text)) throw new Error(t('profileForm.url', { field: name }));
      return text;
    default:
      if (utf8Length(text) > MAX_TEXT) throw new Error(t('profileForm.textLength', { field: name, max: MAX_TEXT, length: utf8Length(text) }));
      return text;
  }
}

// A field's inputs checked: its entry, null for an empty field, or its problems.
export function checkField(field: ProfileField, input: FieldInput): { entry: FieldEntry | null; problems: FieldProblem[] } {
  const value = input.value.trim();
  const source = input.source.trim();
  const asOf = input.asOf.trim();
  const name = fieldLabel(field.key, field.label);
  const problems: FieldProblem[] = [];
  const problem = (part: Part, message: string) => problems.push({ key: field.key, part, message });
  if (!value && !source && !asOf) return { entry: null, problems };
  let typed: FieldValue = value;
  if (!value) problem('value', t('profileForm.needsValue', { field: name }));
  else {
    try {
      typed = typedValue(field, value, name);
    } catch (e) {
      problem('value', (e as Error).message);
    }
  }
  if (!source) problem('source', t('profileForm.needsSource', { field: name }));
  else if (utf8Length(source) > MAX_SOURCE) problem('source', t('profileForm.sourceLength', { field: name, max: MAX_SOURCE }));
  if (!asOf) problem('asOf', t('profileForm.needsAsOf', { field: name }));
  else if (!isDate(asOf)) problem('asOf', t('profileForm.asOfDate', { field: name }));
  return problems.length ? { entry: null, problems } : { entry: { value: typed, source, asOf }, problems };
}

function sameEntry(field: ProfileField, entry: FieldEntry | null): boolean {
  if (field.status !== 'filled' || field.value === null) return entry === null;
  const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
  return entry !== null && entry.value === trimmed(field.value) && entry.source === trimmed(field.source) && entry.asOf === field.asOf;
}

// The edit the form holds: every field checked (its problems), and the fields that
// differ from the published profile in the body of the PATCH (null empties one).
export function profileEdit(groups: ProfileGroup[], inputs: ReadonlyMap<string, FieldInput>): ProfileEdit {
  const fields: Record<string, FieldEntry | null> = {};
  const problems: FieldProblem[] = [];
  const changed: string[] = [];
  for (const field of groups.flatMap((g) => g.fields)) {
    const input = inputs.get(field.key);
    if (!input) continue;
    const checked = checkField(field, input);
    if (checked.problems.length) {
      problems.push(...checked.problems);
      continue;
    }
    if (sameEntry(field, checked.entry)) continue;
    fields[field.key] = checked.entry;
    changed.push(field.key);
  }
  return { body: changed.length && !problems.length ? { fields } : null, changed, problems };
}

// The HTML input a field's value is typed in.
export function valueInput(type: string): { tag: 'input' | 'textarea'; type?: string; inputmode?: string } {
  switch (type) {
    case 'year': return { tag: 'input', type: 'text', inputmode: 'numeric' };
    case 'percent': return { tag: 'input', type: 'text', inputmode: 'decimal' };
    case 'date': return { tag: 'input', type: 'date' };
    case 'url': return { tag: 'input', type: 'url' };
    default: return { tag: 'textarea' };
  }
}

// A value as people read it ("35 %").
export function displayFieldValue(field: Pick<ProfileField, 'type' | 'value'>): string {
  if (field.value === null) return '';
  return field.type === 'percent' ? `${field.value} %` : String(field.value);
}
