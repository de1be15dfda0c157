import { describe, expect, it } from 'vitest';
import { diffRows, featureLabel, problemText, type ReviewChange } from '../src/review';

const feature = (id: number, name: string, status: string) =>
  ({ type: 'Feature' as const, id, geometry: { type: 'Point', coordinates: [100, 10] }, properties: { mine_name: name, status } });

describe('the review diff', () => {
  it('has a row per changed property, and one for a move', () => {
    const change: ReviewChange = { seq: 1, featureId: 7, operation: 'replace', before: feature(7, 'A', 'Operating'),
      after: feature(7, 'A', 'Closed'), properties: [{ name: 'status', before: 'Operating', after: 'Closed' }],
      geometryChanged: true, problems: [] };
    expect(diffRows([change], 'mine_name')).toEqual([
      { change: 1, feature: 'A (#7)', operation: 'changed', property: 'status', before: 'Operating', after: 'Closed' },
      { change: 1, feature: 'A (#7)', operation: 'changed', property: '(geometry)', before: 'old position', after: 'moved' },
    ]);
  });

  it('has one row for a new or a deleted feature', () => {
    const insert: ReviewChange = { seq: 2, featureId: null, operation: 'insert', before: null, after: feature(0, 'New', 'Proposed'),
      properties: [], geometryChanged: false, problems: [] };
    const remove: ReviewChange = { seq: 3, featureId: 9, operation: 'delete', before: feature(9, 'Old', 'Closed'), after: null,
      properties: [], geometryChanged: false, problems: [] };
    const rows = diffRows([insert, remove], 'mine_name');
    expect(rows.map((r) => [r.operation, r.before, r.after])).toEqual([['new feature', '', 'whole feature'], ['deleted', 'whole feature', '']]);
    expect(featureLabel(remove)).toBe('#9');
  });

  it('reads problems as text or objects', () => {
    expect(problemText('outside the boundary of THA')).toBe('outside the boundary of THA');
    expect(problemText({ kind: 'conflict', message: 'changed since' })).toBe('changed since');
  });
});
