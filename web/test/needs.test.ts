// The needs register's portal parts (issue 18): the public counts as the page draws
// them, and every kind, status and priority named in each of the four languages.
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage, type Language } from '../src/i18n';
import { countsTable, isExpertTeam, kindName, KINDS, PRIORITIES, priorityName, statusName, STATUSES, type NeedsSummary } from '../src/workspace/needs';

const summary: NeedsSummary = {
  total: 6,
  byKindAndStatus: [
    { kind: 'dataset', status: 'new', needs: 3 },
    { kind: 'data-problem', status: 'in-progress', needs: 2 },
    { kind: 'service', status: 'done', needs: 1 },
  ],
  byCountry: [{ country: null, needs: 1 }, { country: 'IDN', needs: 4 }, { country: 'VNM', needs: 1 }],
};

describe('needs register', () => {
  afterEach(() => setLanguage('en', false));

  it('draws the counts by kind and status, zero where there are none', () => {
    const table = countsTable(summary);
    const cell = (kind: string, status: string) =>
      table.querySelector(`tr[data-kind="${kind}"] td[data-status="${status}"]`)?.textContent;
    expect(cell('dataset', 'new')).toBe('3');
    expect(cell('data-problem', 'in-progress')).toBe('2');
    expect(cell('service', 'done')).toBe('1');
    expect(cell('service', 'new')).toBe('0');
    const sum = [...table.querySelectorAll('td[data-status]')].reduce((n, td) => n + Number(td.textContent), 0);
    expect(sum).toBe(summary.total);
    expect(table.querySelector('tr[data-country="IDN"] td:last-child')?.textContent).toBe('4');
    expect(table.querySelector('tr[data-country=""] td')?.textContent).toBe('Regional');
  });

  it('names every kind, status and priority in every language', () => {
    for (const lang of ['en', 'zh', 'ja', 'ko'] as Language[]) {
      setLanguage(lang, false);
      const names = [...KINDS.map(kindName), ...STATUSES.map(statusName), ...PRIORITIES.map(priorityName)];
      for (const name of names) expect(name.startsWith('needs.'), `${lang}: ${name}`).toBe(false);
      expect(new Set(STATUSES.map(statusName)).size).toBe(STATUSES.length);
    }
  });

  it('knows the expert team', () => {
    expect(isExpertTeam({ user: 'a', role: 'reviewer', country: '', csrfToken: '', expires: 0 })).toBe(true);
    expect(isExpertTeam({ user: 'a', role: 'admin', country: '', csrfToken: '', expires: 0 })).toBe(true);
    expect(isExpertTeam({ user: 'a', role: 'editor', country: 'IDN', csrfToken: '', expires: 0 })).toBe(false);
    expect(isExpertTeam(null)).toBe(false);
  });
});
