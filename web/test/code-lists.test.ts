/// <reference types="node" />
// The code lists: the four languages list the same codes; every list a property
// points to exists; and every value of a coded property in the demo collections
// (read with the sqlite3 tool from data/demo/*.gpkg, as scripts/load-demo.sh loads
// them) is shown translated in Chinese, Japanese and Korean.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CODE_LISTS, codeLabel, displayCode, PROPERTY_LISTS, propertyLabel } from '../src/code-lists';
import { setLanguage } from '../src/i18n';

const REPO = join(__dirname, '..', '..');
const OTHERS = ['zh', 'ja', 'ko'] as const;
const en = CODE_LISTS.en;

function sqlite(file: string, sql: string): string[] {
  return execFileSync('sqlite3', [file, sql], { encoding: 'utf8' }).split('\n').filter((l) => l !== '');
}

// The GeoPackage layers scripts/load-demo.sh imports: `import "$D/<file>.gpkg" … --layer <layer>`.
function demoLayers(): Array<{ file: string; layer: string }> {
  const script = readFileSync(join(REPO, 'scripts', 'load-demo.sh'), 'utf8');
  return [...script.matchAll(/import "\$D\/([\w.-]+\.gpkg)"[^\n]*\\\n[^\n]*--layer (\w+)/g)]
    .map((m) => ({ file: join(REPO, 'data', 'demo', m[1]), layer: m[2] }));
}

describe('code-list files', () => {
  it('list the same codes in every language, each with a text', () => {
    for (const lang of OTHERS) {
      expect(Object.keys(CODE_LISTS[lang]).sort(), `${lang}: lists`).toEqual(Object.keys(en).sort());
      for (const [list, codes] of Object.entries(en)) {
        expect(Object.keys(CODE_LISTS[lang][list]).sort(), `${lang}: ${list}`).toEqual(Object.keys(codes).sort());
        for (const [code, text] of Object.entries(CODE_LISTS[lang][list])) expect(text.trim(), `${lang}: ${list}.${code}`).not.toBe('');
      }
    }
  });

  it('hold no code twice in different case (lookups ignore case)', () => {
    for (const [list, codes] of Object.entries(en)) {
      const lower = Object.keys(codes).map((c) => c.toLowerCase());
      expect(new Set(lower).size, list).toBe(lower.length);
    }
  });

  it('have every list the properties point to, and the issue\'s licence types and statuses', () => {
    for (const list of new Set(Object.values(PROPERTY_LISTS))) expect(en[list], list).toBeDefined();
    expect(Object.keys(en.licence_type)).toEqual(expect.arrayContaining(['exploration', 'mining']));
    expect(Object.keys(en.licence_status)).toEqual(expect.arrayContaining(['active', 'expired']));
  });
});

describe('the demo collections', () => {
  const layers = demoLayers();

  it('are the nine GeoPackage layers of load-demo.sh', () => {
    expect(layers.map((l) => l.layer).sort()).toEqual(['coal_mine_boundaries', 'coal_mines', 'critical_mineral_deposits',
      'deposit_database_sites', 'iron_ore_mines', 'major_mineral_deposits', 'mcs2024_world_production', 'plate_boundaries', 'plates']);
  });

  it('show every value of a coded property translated', () => {
    let checked = 0;
    const untranslated: string[] = [];
    for (const { file, layer } of layers) {
      const columns = sqlite(file, `SELECT name FROM pragma_table_info('${layer}')`);
      for (const column of columns.filter((c) => PROPERTY_LISTS[c])) {
        for (const value of sqlite(file, `SELECT DISTINCT "${column}" FROM "${layer}" WHERE "${column}" <> ''`)) {
          for (const lang of OTHERS) {
            ++checked;
            if (codeLabel(PROPERTY_LISTS[column], value, lang) === value) untranslated.push(`${layer}.${column} = ${value} (${lang})`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(600);
    expect(untranslated).toEqual([]);
  });
});

describe('the demo properties', () => {
  it('have titles in the property list (the columns the table shows, the attribute panels)', () => {
    const untitled = new Set<string>();
    for (const { file, layer } of demoLayers())
      for (const column of sqlite(file, `SELECT name FROM pragma_table_info('${layer}')`))
        if (!/^(fid|geom)$|url|_non_eng|akas/i.test(column) && !en.property[column]) untitled.add(`${layer}.${column}`);
    expect([...untitled]).toEqual([]);
  });
});

describe('codeLabel()', () => {
  afterEach(() => setLanguage('en', false));

  it('translates a value whole, in any case', () => {
    expect(codeLabel('status', 'Operating', 'zh')).toBe('生产中');
    expect(codeLabel('status', 'operating', 'ja')).toBe('操業中');
    expect(codeLabel('licence_type', 'exploration', 'ko')).toBe('탐사권');
    expect(codeLabel('licence_type', 'exploration', 'en')).toBe('Exploration licence');
  });

  it('translates joined values part by part, only when every part is known', () => {
    expect(codeLabel('commodity', 'Copper-silver-gold', 'zh')).toBe('铜-银-金');
    expect(codeLabel('commodity', 'Gallium; Indium; Germanium', 'ja')).toBe('ガリウム、インジウム、ゲルマニウム');
    expect(codeLabel('commodity', 'Zinc, lead', 'ko')).toBe('아연, 납');
    expect(codeLabel('commodity', 'Rare-Earth Elements; Fluorite', 'zh')).toBe('稀土元素、萤石');
    expect(codeLabel('coal_grade', 'Thermal & Met', 'ko')).toBe('연료탄 & 원료탄');
    expect(codeLabel('commodity', 'Copper-unobtainium', 'zh')).toBe('Copper-unobtainium');
  });

  it('leaves what no list has, and properties without a list, as stored', () => {
    setLanguage('zh', false);
    expect(codeLabel('status', 'Something new')).toBe('Something new');
    expect(displayCode('mine_name', 'Operating')).toBeUndefined();
    expect(displayCode('status', 'Operating')).toBe('生产中');
    expect(propertyLabel('status', 'Status')).toBe('状态');
    expect(propertyLabel('gem_wiki_url', 'Gem wiki url')).toBe('Gem wiki url');
  });
});
