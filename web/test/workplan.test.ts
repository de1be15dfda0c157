import { describe, expect, it } from 'vitest';
import { planTable, rateTable, reportable, type WorkPlan } from '../src/workplan/plan-view';
import { liveTable, type LiveIndicators } from '../src/workplan/live-view';
import { pendingReport, reviewList } from '../src/workplan/review-view';

const plan: WorkPlan = {
  id: 'P',
  title: 'Plan',
  programmeAreas: [{ no: 'I', code: 'A', title: 'Area A' }, { no: 'II', code: 'B', title: 'Area B' }],
  activities: [
    { id: '1.1', area: 'A', activity: 'one', expectedOutputs: ['o1', 'o2'], lead: 'CHN', coLead: null, countryCoordinator: 'VNM',
      plannedStart: '2022', plannedEnd: '2025', status: 'ongoing' },
    { id: '2.1', area: 'B', activity: 'two', expectedOutputs: ['o3'], lead: null, coLead: null, countryCoordinator: null,
      plannedStart: null, plannedEnd: null, status: null },
  ],
};

describe('work plan view', () => {
  it('lists activities under their areas with status', () => {
    const table = planTable(plan, 'http://x');
    const rows = [...table.querySelectorAll('tbody tr')].map((r) => r.textContent);
    expect(rows[0]).toBe('I. Area A');
    expect(rows[1]).toContain('ongoing');
    expect(rows[2]).toBe('II. Area B');
    expect(rows[3]).toContain('not reported');
    expect(table.querySelector('a')?.getAttribute('href')).toBe('http://x/workplans/P/activities/1.1?f=html');
  });

  it('offers editors only the activities their country leads or coordinates', () => {
    expect(reportable(plan, 'editor', 'VNM').map((a) => a.id)).toEqual(['1.1']);
    expect(reportable(plan, 'editor', 'THA')).toEqual([]);
    expect(reportable(plan, 'reviewer', '').length).toBe(2);
  });

  it('shows the rate with its rule', () => {
    const r = { scope: 'overall', title: 'Plan', accomplished: 9, total: 10, percent: 90, text: '9 of 10 (90%)' };
    const el = rateTable({ rule: 'action-lines', ruleName: 'action lines (activities) completed', overall: r, programmeAreas: [] });
    expect(el.textContent).toContain('9 of 10 (90%)');
    expect(el.textContent).toContain('action lines (activities) completed');
  });
});

describe('live indicators view', () => {
  const live: LiveIndicators = {
    asOf: '2026-12-06T00:00:00Z',
    aseanMemberStates: ['BRN', 'IDN', 'THA'],
    'activity4.2': { text: '1 of 10 (10%)', memberStates: ['IDN'] },
    'activity4.3': {
      memberStates: [{ country: 'IDN', approvedChangeSets365Days: 3, lastApproved: '2026-12-05T10:00:00Z' }],
      utilization: { available: true, from: '2025-12-06', to: '2026-12-06', memberStates: [
        { country: 'BRN', datasets: 0, requests: 0, features: 0, bytes: 0 },
        { country: 'IDN', datasets: 2, requests: 1234, features: 56789, bytes: 10 },
        { country: 'THA', datasets: 1, requests: 7, features: 70, bytes: 5 }] },
    },
  };

  it('shows each member state with its updates and the use of its datasets', () => {
    const el = liveTable(live, 'http://x/workplans/P/live-indicators');
    const idn = el.querySelector('tr[data-country=IDN]')!;
    const cell = (tr: Element, name: string) => tr.querySelector(`td[data-name=${name}]`)?.textContent;
    expect(cell(idn, 'approved')).toBe('3');
    expect(cell(idn, 'requests')).toBe('1,234');
    expect(cell(idn, 'features')).toBe('56,789');
    expect(cell(el.querySelector('tr[data-country=BRN]')!, 'approved')).toBe('0');
    expect(el.querySelector('.rate-42')?.textContent).toBe('1 of 10 (10%)');
    expect(el.querySelector('a.live-pdf')?.getAttribute('href')).toBe('http://x/workplans/P/live-indicators?f=pdf');
  });

  it('says why the usage figures are missing instead of showing zeros', () => {
    const without = { ...live, 'activity4.3': { ...live['activity4.3'], utilization: { available: false, reason: 'for signed-in accounts' } } };
    const el = liveTable(without, 'x');
    expect(el.textContent).toContain('for signed-in accounts');
    expect(el.querySelector('td[data-name=requests]')).toBeNull();
  });
});

describe('review of progress reports', () => {
  it('reads a report from its change set and offers approve and return', () => {
    const r = pendingReport({ id: 7, author: 'idn-editor' }, { work_plan: 'P', activity: '1.2', meeting: 'M', iso3: 'IDN',
      status: 'ongoing', narrative: 'n', evidence: '[{"title":"minutes.pdf","href":"http://x/workplans/P/evidence/3"}]' });
    expect(r.evidence).toEqual([{ title: 'minutes.pdf', href: 'http://x/workplans/P/evidence/3' }]);
    const seen: string[] = [];
    const el = reviewList([r], (report, action, comment) => seen.push(`${report.changeSet} ${action} ${comment}`));
    (el.querySelector('textarea') as HTMLTextAreaElement).value = 'add the minutes';
    (el.querySelector('button.return') as HTMLButtonElement).click();
    (el.querySelector('button.approve') as HTMLButtonElement).click();
    expect(seen).toEqual(['7 reject add the minutes', '7 approve add the minutes']);
    expect(el.querySelector('.evidence a')?.getAttribute('href')).toBe('http://x/workplans/P/evidence/3');
    expect(pendingReport({ id: 1, author: 'a' }, { evidence: 'not json' }).evidence).toEqual([]);
  });
});
