/// <reference types="node" />
// The country profile's edit form: generated from the shipped field list
// (static/invest/profile-fields.json, read here as the server reads it), every field
// and group labelled in the four languages, values checked as the server checks them
// (src/invest/country_profile.cpp), and only the changed fields in the PATCH body.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Api, type Session } from '../src/api';
import { CATALOGUES, LANGUAGES, setLanguage } from '../src/i18n';
import {
  checkField, fieldLabel, groupLabel, inputOf, isDate, isUrl, mayEditProfile, profileEdit, utf8Length,
  type FieldInput, type ProfileField, type ProfileGroup,
} from '../src/country/profile-form';
import { ProfileEditor, profileTables } from '../src/country/profile-view';
import { profileDiffRows, type ReviewChange } from '../src/review';

interface ListField { key: string; label: string; type: string }
const LIST = JSON.parse(readFileSync(join(__dirname, '..', '..', 'static', 'invest', 'profile-fields.json'), 'utf8')) as {
  groups: Array<{ key: string; label: string; fields: ListField[] }>;
};

// The groups as /countries/{ISO3} gives them for a profile with `filled` entered.
function groups(filled: Record<string, { value: string | number; source: string; asOf: string }> = {}): ProfileGroup[] {
  return LIST.groups.map((g) => ({ key: g.key, label: g.label, fields: g.fields.map((f): ProfileField => {
    const v = filled[f.key];
    return v ? { ...f, ...v, status: 'filled' } : { ...f, value: null, source: null, asOf: null, status: 'empty' };
  }) }));
}

const field = (type: string, key = `a_${type}`): ProfileField =>
  ({ key, label: key, type, value: null, source: null, asOf: null, status: 'empty' });
const input = (value: string, source = 'Law No. 4 of 2009', asOf = '2024-06-30'): FieldInput => ({ value, source, asOf });
const inputs = (groupsOf: ProfileGroup[], typed: Record<string, FieldInput>) =>
  new Map(groupsOf.flatMap((g) => g.fields).map((f) => [f.key, typed[f.key] ?? inputOf(f)]));

afterEach(() => setLanguage('en', false));

describe('the field list', () => {
  it('has a label for every group and field in every language', () => {
    const keys = LIST.groups.flatMap((g) => [`profileGroup.${g.key}`, ...g.fields.map((f) => `profileField.${f.key}`)]);
    expect(keys.length).toBeGreaterThanOrEqual(38);
    for (const lang of LANGUAGES.map((l) => l.code))
      expect(keys.filter((k) => !CATALOGUES[lang].has(k)), `missing in ${lang}.json`).toEqual([]);
    for (const g of LIST.groups) {
      expect(groupLabel(g.key, 'x')).toBe(g.label);
      for (const f of g.fields) expect(fieldLabel(f.key, 'x')).toBe(f.label);
    }
    setLanguage('ja', false);
    expect(fieldLabel('royalty_rates')).toBe('鉱種別ロイヤルティ率');
    expect(fieldLabel('no_such_field', 'Configured label')).toBe('Configured label');
  });

  it('makes a form of every group and field, each with value, source and as-of inputs of its type', () => {
    document.body.innerHTML = '<div id="target"></div>';
    const editor = new ProfileEditor(new Api(''), document.getElementById('target')!, () => {}, () => {});
    editor.start('IDN', groups({ corporate_income_tax: { value: 22, source: 'Law No. 7 of 2021', asOf: '2022-01-01' } }));
    const form = document.getElementById('profile-form')!;
    expect([...form.querySelectorAll('fieldset')].map((f) => f.dataset.group)).toEqual(LIST.groups.map((g) => g.key));
    const all = LIST.groups.flatMap((g) => g.fields);
    expect([...form.querySelectorAll<HTMLElement>('.profile-field')].map((f) => f.dataset.field)).toEqual(all.map((f) => f.key));
    for (const f of all) {
      const value = document.getElementById(`pf-${f.key}-value`) as HTMLInputElement;
      expect(value.tagName).toBe(f.type === 'text' ? 'TEXTAREA' : 'INPUT');
      if (f.type === 'date') expect(value.type).toBe('date');
      if (f.type === 'url') expect(value.type).toBe('url');
      expect((document.getElementById(`pf-${f.key}-asOf`) as HTMLInputElement).type).toBe('date');
      expect(document.querySelector(`label[for="pf-${f.key}-source"]`)).not.toBeNull();
    }
    expect((document.getElementById('pf-corporate_income_tax-value') as HTMLInputElement).value).toBe('22');
    expect((document.getElementById('pf-corporate_income_tax-source') as HTMLInputElement).value).toBe('Law No. 7 of 2021');
  });

  it('shows problems beside their fields and sends nothing while there are any', async () => {
    document.body.innerHTML = '<div id="target"></div>';
    let submitted = false;
    const editor = new ProfileEditor(new Api('http://127.0.0.1:9'), document.getElementById('target')!, () => { submitted = true; }, () => {});
    editor.start('IDN', groups());
    const year = document.getElementById('pf-mining_law_year-value') as HTMLInputElement;
    year.value = '1750';
    year.dispatchEvent(new Event('input'));
    document.getElementById('profile-form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await Promise.resolve();
    expect(year.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('pf-mining_law_year-source')!.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('pf-mining_law_year-error')!.textContent).toContain('1800 to 2200');
    expect(document.getElementById('profile-form-problems')!.textContent).toContain('1 field needs attention');
    expect(document.activeElement).toBe(year);
    expect(submitted).toBe(false);
    // Emptied again: nothing changed, and it says so.
    document.getElementById('pf-mining_law_year-empty')!.click();
    document.getElementById('profile-form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await Promise.resolve();
    expect(year.hasAttribute('aria-invalid')).toBe(false);
    expect(document.getElementById('profile-form-error')!.textContent).toBe('Nothing was changed: no change set was made.');
  });

  it('shows the published profile, and says so of a field without a source', () => {
    const table = profileTables(groups({ mining_law: { value: 'Law No. 4 of 2009', source: 'State Gazette 2009/4', asOf: '2024-06-30' } }));
    const row = table.querySelector<HTMLElement>('tr[data-field="mining_law"]')!;
    expect(row.dataset.status).toBe('filled');
    expect([...row.querySelectorAll('td')].map((c) => c.textContent)).toEqual(['Law No. 4 of 2009', 'State Gazette 2009/4', '2024-06-30']);
    expect(table.querySelector('tr[data-field="export_bans"] td')!.textContent).toBe('No citable public source has been entered for this field.');
  });
});

describe('the edit', () => {
  it('holds only the changed fields, typed as the server wants them', () => {
    const published = groups({ mining_law: { value: 'Law No. 4 of 2009', source: 'Gazette', asOf: '2024-01-01' },
      export_bans: { value: 'Nickel ore since 2020', source: 'Regulation 11/2019', asOf: '2024-01-01' } });
    const edit = profileEdit(published, inputs(published, {
      mining_law_year: input(' 2009 '),
      foreign_ownership_limit: input('49.5', 'Investment list', '2023-12-31'),
      export_bans: { value: '', source: '', asOf: '' },
    }));
    expect(edit.problems).toEqual([]);
    expect(edit.changed).toEqual(['mining_law_year', 'export_bans', 'foreign_ownership_limit']);
    expect(edit.body).toEqual({ fields: {
      mining_law_year: { value: 2009, source: 'Law No. 4 of 2009', asOf: '2024-06-30' },
      export_bans: null,
      foreign_ownership_limit: { value: 49.5, source: 'Investment list', asOf: '2023-12-31' },
    } });
    expect(JSON.stringify(edit.body)).toContain('"value":2009,');
  });

  it('is nothing when the inputs are the published profile', () => {
    const published = groups({ corporate_income_tax: { value: 22, source: 'Law No. 7 of 2021', asOf: '2022-01-01' } });
    expect(profileEdit(published, inputs(published, {}))).toEqual({ body: null, changed: [], problems: [] });
    const source = profileEdit(published, inputs(published, { corporate_income_tax: input('22', 'Law No. 7 of 2021, art. 17', '2022-01-01') }));
    expect(source.changed).toEqual(['corporate_income_tax']);
  });

  it('sends nothing while any field has a problem', () => {
    const g = groups();
    const edit = profileEdit(g, inputs(g, { mining_law: input('Law 4/2009'), mining_law_year: input('2009', '') }));
    expect(edit.body).toBeNull();
    expect(edit.problems).toEqual([{ key: 'mining_law_year', part: 'source', message: expect.stringContaining('public source') }]);
  });
});

describe('a value checked as the server checks it', () => {
  const ok = (f: ProfileField, i: FieldInput) => checkField(f, i).problems.map((p) => p.part);

  it('takes years from 1800 to 2200, whole', () => {
    for (const good of ['1800', '2009', '2200']) expect(ok(field('year'), input(good))).toEqual([]);
    for (const bad of ['1799', '2201', '2009.5', '20O9', '-2009']) expect(ok(field('year'), input(bad)), bad).toEqual(['value']);
  });

  it('takes percentages from 0 to 100', () => {
    expect(checkField(field('percent'), input('0')).entry?.value).toBe(0);
    expect(checkField(field('percent'), input('100')).entry?.value).toBe(100);
    for (const bad of ['100.01', '-1', 'forty', '1e2', '']) expect(ok(field('percent'), input(bad)), bad).toEqual(['value']);
  });

  it('takes dates of the calendar only, and as-of dates alike', () => {
    expect(isDate('2024-02-29')).toBe(true);
    for (const bad of ['2023-02-29', '2024-13-01', '2024-04-31', '2024-6-30', '30/06/2024', '2024-06-30T00:00:00Z']) expect(isDate(bad), bad).toBe(false);
    expect(ok(field('date'), input('2023-02-29'))).toEqual(['value']);
    expect(ok(field('text'), input('x', 'y', '2024-02-30'))).toEqual(['asOf']);
    expect(ok(field('text'), input('x', 'y', ''))).toEqual(['asOf']);
  });

  it('takes http(s) addresses without spaces, quotes or angle brackets', () => {
    expect(isUrl('https://www.esdm.go.id/')).toBe(true);
    expect(isUrl('http://a')).toBe(true);
    for (const bad of ['ftp://x.org', 'https://', 'https://a b', 'https://a"b', 'www.esdm.go.id', `https://${'a'.repeat(2000)}`]) expect(isUrl(bad), bad).toBe(false);
  });

  it('counts text in UTF-8 bytes, at most 4000, and the source at most 1000', () => {
    expect(utf8Length('矿')).toBe(3);
    expect(ok(field('text'), input('矿'.repeat(1333)))).toEqual([]);
    expect(ok(field('text'), input('矿'.repeat(1334)))).toEqual(['value']);
    expect(ok(field('text'), input('x', 's'.repeat(1000)))).toEqual([]);
    expect(ok(field('text'), input('x', 's'.repeat(1001)))).toEqual(['source']);
  });

  it('wants a value for a source or a date, and a source and a date for a value', () => {
    expect(ok(field('text'), { value: '', source: 'A gazette', asOf: '' })).toEqual(['value', 'asOf']);
    expect(ok(field('text'), { value: 'x', source: ' ', asOf: '2024-01-01' })).toEqual(['source']);
    expect(checkField(field('text'), { value: ' ', source: '', asOf: '' })).toEqual({ entry: null, problems: [] });
  });

  it('names the field in the reader’s language', () => {
    setLanguage('ko', false);
    const f = { ...field('year', 'mining_law_year') };
    expect(checkField(f, input('1700')).problems[0].message).toContain('광업법 제정 연도');
  });
});

describe('who gets the form', () => {
  const session = (role: string, country = ''): Session => ({ user: 'u', role, country, csrfToken: 'x', expires: 0 });
  it('is the country’s own editors, reviewers and administrators', () => {
    expect(mayEditProfile(session('editor', 'IDN'), 'IDN')).toBe(true);
    expect(mayEditProfile(session('editor', 'PHL'), 'IDN')).toBe(false);
    expect(mayEditProfile(session('reviewer'), 'IDN')).toBe(true);
    expect(mayEditProfile(session('admin'), 'IDN')).toBe(true);
    expect(mayEditProfile(null, 'IDN')).toBe(false);
  });
});

describe('the reviewer’s diff of a profile', () => {
  it('has a row per profile field that differs, in the field list’s order', () => {
    const before = { mining_law_year: { value: 2009, source: 'Law 4/2009', asOf: '2024-06-30' }, export_bans: { value: 'Nickel', source: 'Reg 11', asOf: '2024-01-01' } };
    const after = { corporate_income_tax: { value: 22, source: 'Law 7/2021', asOf: '2022-01-01' }, mining_law_year: { value: 2009, source: 'Law 4/2009', asOf: '2024-06-30' } };
    const doc = (fields: object) => ({ type: 'Feature' as const, id: 3, geometry: null, properties: { iso3: 'IDN', fields: JSON.stringify(fields) } });
    const change: ReviewChange = { seq: 1, featureId: 3, operation: 'replace', before: doc(before), after: doc(after),
      properties: [{ name: 'fields', before: JSON.stringify(before), after: JSON.stringify(after) }], geometryChanged: false, problems: [] };
    const types = new Map(LIST.groups.flatMap((g) => g.fields).map((f) => [f.key, f.type]));
    expect(profileDiffRows([change], types)).toEqual([
      { change: 1, feature: 'IDN (#3)', operation: 'changed', property: 'Corporate income tax rate', before: '(empty: no source)', after: '22 % — Law 7/2021, as of 2022-01-01' },
      { change: 1, feature: 'IDN (#3)', operation: 'changed', property: 'Export bans on unprocessed ores', before: 'Nickel — Reg 11, as of 2024-01-01', after: '(empty: no source)' },
    ]);
  });
});
