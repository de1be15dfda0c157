// The portal's languages: its labels in English, Chinese (Simplified), Japanese and
// Korean, from one JSON file per language in web/i18n/ (keys grouped by area, e.g.
// "filter.clear"). See docs/translating.md for how translators add or change them.
//
//   t('table.count', { first: 1, last: 20, total: 311 })   // a string, now
//   tr('layers.title')                                       // a <span> that follows the switch
//   onLanguageChange(() => redraw())                         // for what is drawn from data
//
// The language is, in order: ?lang= in the address, the user's last choice (kept in
// localStorage), the browser's languages (navigator.languages, which is what the
// browser sends as Accept-Language), else English.
import en from '../i18n/en.json';
import zh from '../i18n/zh.json';
import ja from '../i18n/ja.json';
import ko from '../i18n/ko.json';

export type Language = 'en' | 'zh' | 'ja' | 'ko';

export interface LanguageInfo {
  code: Language;
  name: string; // in its own language, as the switch shows it
  htmlLang: string; // BCP 47, for <html lang>
}

export const LANGUAGES: LanguageInfo[] = [
  { code: 'en', name: 'English', htmlLang: 'en' },
  { code: 'zh', name: '简体中文', htmlLang: 'zh-Hans' },
  { code: 'ja', name: '日本語', htmlLang: 'ja' },
  { code: 'ko', name: '한국어', htmlLang: 'ko' },
];

export type Messages = { [key: string]: string | Messages };
export type Params = Record<string, string | number>;

// "a": {"b": "x"} -> "a.b": "x".
export function flatten(messages: Messages, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(messages)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(name, value);
    else flatten(value, name, out);
  }
  return out;
}

export const CATALOGUES: Record<Language, Map<string, string>> = {
  en: flatten(en as Messages), zh: flatten(zh as Messages), ja: flatten(ja as Messages), ko: flatten(ko as Messages),
};

const STORAGE_KEY = 'amis-language';

function isLanguage(code: string | null | undefined): code is Language {
  return LANGUAGES.some((l) => l.code === code);
}

// The first of the browser's languages the portal has ("zh-CN" -> zh, "ko-KR" -> ko).
export function fromBrowser(preferred: readonly string[]): Language | undefined {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (isLanguage(primary)) return primary;
  }
  return undefined;
}

function stored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage refused (privacy settings): the browser's languages decide
  }
}

export function initialLanguage(): Language {
  const asked = new URLSearchParams(location.search).get('lang');
  if (isLanguage(asked)) return asked;
  const kept = stored();
  if (isLanguage(kept)) return kept;
  return fromBrowser(navigator.languages?.length ? navigator.languages : [navigator.language]) ?? 'en';
}

let current: Language = 'en';
const listeners: Array<() => void> = [];

export function language(): Language {
  return current;
}

// The language as Intl wants it (number formats, plural rules).
export function locale(): string {
  return LANGUAGES.find((l) => l.code === current)!.htmlLang;
}

// `key` in the current language with its {placeholders} filled; English when the
// language lacks it, the key itself when English does too (the tests see to it
// that neither happens). With a `count`, "key.one"/"key.other" are chosen by the
// language's plural rules when "key" itself is not there.
export function t(key: string, params: Params = {}): string {
  const text = lookup(CATALOGUES[current], key, params) ?? lookup(CATALOGUES.en, key, params) ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? format(params[name]) : whole));
}

function lookup(messages: Map<string, string>, key: string, params: Params): string | undefined {
  const plain = messages.get(key);
  if (plain !== undefined || typeof params.count !== 'number') return plain;
  const rule = new Intl.PluralRules(locale()).select(params.count);
  return messages.get(`${key}.${rule}`) ?? messages.get(`${key}.other`);
}

function format(value: string | number): string {
  return typeof value === 'number' ? value.toLocaleString(locale()) : value;
}

// A label that follows the language switch: a span that translateDocument() fills again.
export function tr(key: string, params?: Params): HTMLSpanElement {
  const span = document.createElement('span');
  span.dataset.i18n = key;
  if (params) span.dataset.i18nParams = JSON.stringify(params);
  span.textContent = t(key, params);
  return span;
}

// Attributes that follow the switch: { placeholder: 'search.placeholder' } gives the
// attribute now and the data-i18n-attr that translateDocument() reads.
export function tAttrs(attributes: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { 'data-i18n-attr': Object.entries(attributes).map(([a, k]) => `${a}=${k}`).join(';') };
  for (const [attribute, key] of Object.entries(attributes)) out[attribute] = t(key);
  return out;
}

// Fills every [data-i18n] element's text and [data-i18n-attr] attributes (the
// static pages' markup and the labels made by tr/tAttrs).
export function translateDocument(root: ParentNode = document): void {
  for (const e of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const params = e.dataset.i18nParams ? JSON.parse(e.dataset.i18nParams) as Params : undefined;
    e.textContent = t(e.dataset.i18n!, params);
  }
  for (const e of root.querySelectorAll<HTMLElement>('[data-i18n-attr]')) {
    for (const pair of e.dataset.i18nAttr!.split(';')) {
      const [attribute, key] = pair.split('=');
      if (attribute && key) e.setAttribute(attribute, t(key));
    }
  }
}

// Switches the language: <html lang>, the static labels, then every listener
// (the panels drawn from data draw themselves again). `remember`: kept for the next visit.
export function setLanguage(code: Language, remember = true): void {
  current = code;
  document.documentElement.lang = LANGUAGES.find((l) => l.code === code)!.htmlLang;
  if (remember) {
    try { localStorage.setItem(STORAGE_KEY, code); } catch { /* not kept: still switched */ }
  }
  translateDocument();
  for (const l of listeners) l();
}

export function onLanguageChange(listener: () => void): void {
  listeners.push(listener);
}

// The switch: a select of the languages, each named in its own language.
export function languageSwitch(): HTMLElement {
  const select = document.createElement('select');
  select.id = 'language';
  select.setAttribute('data-i18n-attr', 'aria-label=common.language');
  select.setAttribute('aria-label', t('common.language'));
  for (const l of LANGUAGES) {
    const option = new Option(l.name, l.code, false, l.code === current);
    option.lang = l.htmlLang;
    select.append(option);
  }
  select.addEventListener('change', () => setLanguage(select.value as Language));
  onLanguageChange(() => { select.value = current; });
  const wrap = document.createElement('div');
  wrap.className = 'language';
  wrap.append(select);
  return wrap;
}

// For a page's start: the language chosen without storing it, the markup translated,
// and the switch put where `slot` is (if the page has one).
export function startLanguage(slot?: HTMLElement | null): void {
  setLanguage(initialLanguage(), false);
  slot?.append(languageSwitch());
}
