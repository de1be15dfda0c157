/// <reference types="node" />
// The translations: the four files hold the same keys with the same placeholders,
// every key the portal's sources and pages use is in English, and every English key
// is used; the files stay sorted, valid JSON. Then t()'s own rules.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CATALOGUES, flatten, fromBrowser, LANGUAGES, setLanguage, t, translateDocument, type Messages } from '../src/i18n';

const WEB = join(__dirname, '..');
const OTHERS = ['zh', 'ja', 'ko'] as const;
const en = CATALOGUES.en;

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

function files(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, pattern) : pattern.test(name) ? [path] : [];
  });
}

// Every source of user-visible text: the TypeScript of web/src and the four pages.
const SOURCES = [...files(join(WEB, 'src'), /\.ts$/), ...['index.html', 'usage.html', 'workplan.html', 'country.html'].map((p) => join(WEB, p))]
  .map((path) => ({ path, text: readFileSync(path, 'utf8') }));

const GROUPS = new Set([...en.keys()].map((k) => k.split('.')[0]));

// A key as the sources name it: "a.b" itself, or "a.b.one/other" for plurals.
function known(key: string): boolean {
  return en.has(key) || en.has(`${key}.other`);
}

// The keys the sources name: t('…'), tr('…'), ternaries and tables of keys (any
// string literal that starts with a group of en.json), and the pages' data-i18n
// attributes. Keys made at run time (`country.${iso3}`) are their prefixes.
function usedKeys(): { keys: Map<string, string>; prefixes: Map<string, string> } {
  const keys = new Map<string, string>();
  const prefixes = new Map<string, string>();
  for (const { path, text } of SOURCES) {
    for (const m of text.matchAll(/'([a-z][a-zA-Z]*(?:\.[a-zA-Z0-9]+)+)'/g))
      if (GROUPS.has(m[1].split('.')[0])) keys.set(m[1], path);
    for (const m of text.matchAll(/\b(?:t|tr)\(\s*'([^']+)'/g)) keys.set(m[1], path);
    for (const m of text.matchAll(/data-i18n="([^"]+)"/g)) keys.set(m[1], path);
    for (const m of text.matchAll(/data-i18n-attr="([^"]+)"/g))
      for (const pair of m[1].split(';')) keys.set(pair.split('=')[1], path);
    for (const m of text.matchAll(/`([a-z][a-zA-Z]*(?:\.[a-zA-Z]+)*\.)\$\{/g))
      if (GROUPS.has(m[1].split('.')[0])) prefixes.set(m[1], path);
  }
  // The server's pages written with the same files (core::Translations): "group.key" literals.
  for (const path of files(join(WEB, '..', 'src', 'api', 'invest'), /\.cpp$/)) {
    for (const m of readFileSync(path, 'utf8').matchAll(/"([a-z][a-zA-Z]*(?:\.[a-zA-Z0-9]+)+)"/g))
      if (GROUPS.has(m[1].split('.')[0])) keys.set(m[1], path);
  }
  return { keys, prefixes };
}

describe('translation files', () => {
  it('are valid JSON, sorted at every level, two-space indented', () => {
    const sorted = (m: Messages): Messages => Object.fromEntries(Object.keys(m).sort()
      .map((k) => [k, typeof m[k] === 'string' ? m[k] : sorted(m[k] as Messages)]));
    for (const file of files(join(WEB, 'i18n'), /\.json$/)) {
      const text = readFileSync(file, 'utf8');
      const parsed = JSON.parse(text) as Messages;
      expect(text, `${file} is not sorted (keys in order, 2 spaces, a final newline)`).toBe(`${JSON.stringify(sorted(parsed), null, 2)}\n`);
    }
  });

  it('hold the same keys in every language', () => {
    const english = [...en.keys()].sort();
    expect(english.length).toBeGreaterThan(300);
    for (const lang of OTHERS) {
      const keys = [...CATALOGUES[lang].keys()].sort();
      expect(english.filter((k) => !CATALOGUES[lang].has(k)), `keys missing in ${lang}.json`).toEqual([]);
      expect(keys.filter((k) => !en.has(k)), `keys in ${lang}.json that en.json lacks`).toEqual([]);
    }
  });

  it('give every key a text with the same placeholders as English', () => {
    for (const lang of OTHERS) {
      for (const [key, text] of CATALOGUES[lang]) {
        expect(text.trim(), `${lang}: ${key} is empty`).not.toBe('');
        expect(placeholders(text), `${lang}: ${key} placeholders`).toEqual(placeholders(en.get(key)!));
      }
    }
  });

  it('are translated, not copied (a text the same as English is a product name or a format)', () => {
    const same = (lang: (typeof OTHERS)[number]) => [...CATALOGUES[lang]].filter(([k, v]) => v === en.get(k) && !/^(download\.format|catalogue\.extentValue)/.test(k)).map(([k]) => k);
    for (const lang of OTHERS) expect(same(lang), `${lang}: copied from English`).toEqual([]);
  });
});

describe('the sources', () => {
  const { keys, prefixes } = usedKeys();

  it('use only keys that en.json has', () => {
    const missing = [...keys].filter(([k]) => !known(k)).map(([k, path]) => `${k} (${path.replace(WEB, 'web')})`);
    expect(missing).toEqual([]);
    for (const [prefix, path] of prefixes)
      expect([...en.keys()].some((k) => k.startsWith(prefix)), `${prefix}… (${path}) has no key`).toBe(true);
  });

  it('use every key of en.json (no dead text for translators)', () => {
    const used = (key: string) => keys.has(key) || keys.has(key.replace(/\.(one|other)$/, '')) ||
      [...prefixes.keys()].some((p) => key.startsWith(p));
    expect([...en.keys()].filter((k) => !used(k))).toEqual([]);
  });

  it('write no user-visible English outside the files: no h(…, \'Text\') or textContent = \'Text\'', () => {
    const suspicious: string[] = [];
    for (const { path, text } of SOURCES.filter((s) => s.path.endsWith('.ts'))) {
      for (const m of text.matchAll(/(?:\}, |textContent = |announce\()(['`])[A-Z][a-z]+ [^'`]*\1/g)) suspicious.push(`${path}: ${m[0]}`);
    }
    expect(suspicious).toEqual([]);
  });
});

describe('t()', () => {
  afterEach(() => setLanguage('en', false));

  it('fills placeholders, formats numbers in the language and picks plurals', () => {
    expect(t('table.count', { first: 1, last: 20, total: 3122 })).toBe('1–20 of 3,122');
    expect(t('download.matched', { count: 1 })).toBe('1 feature, all in each file.');
    expect(t('download.matched', { count: 2 })).toBe('2 features, all in each file.');
    setLanguage('ja', false);
    expect(t('download.matched', { count: 1 })).toBe('1 件の地物。各ファイルにすべて含まれます。');
    expect(t('table.count', { first: 1, last: 20, total: 3122 })).toBe('3,122 件中 1–20 件');
  });

  it('falls back to the key itself for an unknown key', () => {
    expect(t('no.such.key')).toBe('no.such.key');
  });

  it('chooses the first of the browser languages it has', () => {
    expect(fromBrowser(['zh-CN', 'en'])).toBe('zh');
    expect(fromBrowser(['fr-FR', 'ko-KR', 'en'])).toBe('ko');
    expect(fromBrowser(['ja'])).toBe('ja');
    expect(fromBrowser(['en-US'])).toBe('en');
    expect(fromBrowser(['fr', 'de'])).toBeUndefined();
  });

  it('sets <html lang> and translates marked elements and attributes', () => {
    document.body.innerHTML = '<p data-i18n="layers.title">Layers</p><input data-i18n-attr="placeholder=search.label;aria-label=search.results">';
    setLanguage('ko', false);
    expect(document.documentElement.lang).toBe('ko');
    expect(document.querySelector('p')!.textContent).toBe('레이어');
    expect(document.querySelector('input')!.getAttribute('placeholder')).toBe('이름으로 검색');
    expect(document.querySelector('input')!.getAttribute('aria-label')).toBe('검색 결과');
    setLanguage('zh', false);
    expect(document.documentElement.lang).toBe(LANGUAGES.find((l) => l.code === 'zh')!.htmlLang);
    translateDocument();
    expect(document.querySelector('p')!.textContent).toBe('图层');
  });

  it('flattens groups into dotted keys', () => {
    expect([...flatten({ a: { b: 'x', c: { d: 'y' } } })]).toEqual([['a.b', 'x'], ['a.c.d', 'y']]);
  });
});
