// The code lists of the data (commodities, deposit types, mine and licence statuses
// and types...) as the portal shows them: the stored value is looked up in the
// current language's file of web/i18n/codes/ and shown translated, in tables,
// filters, legends and attribute panels; the data, the filters sent to the server
// and the downloads keep the stored value. A value no list has is shown as stored
// (free text, names and narratives are never translated).
import en from '../i18n/codes/en.json';
import zh from '../i18n/codes/zh.json';
import ja from '../i18n/codes/ja.json';
import ko from '../i18n/codes/ko.json';
import propertyLists from '../i18n/property-lists.json';
import { language, type Language } from './i18n';

export type CodeLists = Record<string, Record<string, string>>;

export const CODE_LISTS: Record<Language, CodeLists> = { en, zh, ja, ko };

// Which list a property's values come from, by the property names the ASEAN+3
// datasets use (web/i18n/property-lists.json, which the server's pages read too).
// The list "property" names the properties themselves.
export const PROPERTY_LISTS: Record<string, string> = propertyLists;

// A list's entries by lower-case value, so "operating" finds "Operating".
function index(list: Record<string, string> | undefined): Map<string, string> {
  return new Map(Object.entries(list ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

const cache = new Map<string, Map<string, string>>();

function entries(lang: Language, list: string): Map<string, string> {
  const key = `${lang}/${list}`;
  if (!cache.has(key)) cache.set(key, index(CODE_LISTS[lang][list]));
  return cache.get(key)!;
}

// Lists in the data join several values: "Gallium; Indium", "Zinc, lead", "Thermal &
// Met", "Copper-silver-gold". Each part is translated when every part is known; the
// separators are tried from the loosest (";") to the tightest ("-"), so that a value
// with a hyphen of its own ("Rare-Earth Elements; Fluorite") is found whole first.
const SEPARATORS: Array<{ split: RegExp; kind: 'list' | 'and' | 'hyphen' }> = [
  { split: /\s*;\s*/, kind: 'list' }, { split: /\s*,\s*/, kind: 'list' }, { split: /\s+&\s+/, kind: 'and' },
  { split: /\s*-\s*/, kind: 'hyphen' },
];

function translated(known: Map<string, string>, value: string, lang: Language, from = 0): string | undefined {
  const whole = known.get(value.trim().toLowerCase());
  if (whole !== undefined) return whole;
  for (let i = from; i < SEPARATORS.length; ++i) {
    const parts = value.split(SEPARATORS[i].split);
    if (parts.length < 2) continue;
    const out = parts.map((p) => translated(known, p, lang, i));
    if (out.every((p): p is string => p !== undefined && p !== '')) return out.join(joiner(SEPARATORS[i].kind, lang));
    return undefined;
  }
  return undefined;
}

// Chinese and Japanese enumerate with "、"; hyphens stay.
function joiner(kind: 'list' | 'and' | 'hyphen', lang: Language): string {
  if (kind === 'hyphen') return '-';
  if (lang === 'zh' || lang === 'ja') return '、';
  return kind === 'and' ? ' & ' : ', ';
}

export function codeLabel(list: string, value: string, lang: Language = language()): string {
  return translated(entries(lang, list), value, lang) ?? value;
}

// A property's value for display: translated when the property has a code list.
export function displayCode(property: string, value: unknown): string | undefined {
  const list = PROPERTY_LISTS[property];
  return list && typeof value === 'string' && value !== '' ? codeLabel(list, value) : undefined;
}

// A property's title: the "property" list's, else the server's.
export function propertyLabel(name: string, title: string): string {
  return entries(language(), 'property').get(name.toLowerCase()) ?? title;
}
