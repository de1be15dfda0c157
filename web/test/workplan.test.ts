import { describe, expect, it } from 'vitest';
import { planTable, rateTable, reportable, type WorkPlan } from '../src/workplan/plan-view';

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
