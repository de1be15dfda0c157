import { describe, expect, it } from 'vitest';
import { buildFilter, containsPattern, isEmpty, literal, NO_FILTER, propertyRef } from '../src/cql2';

const roles = { name: 'mine_name', country: 'iso3', status: 'status', commodity: 'coal_type' };

describe('CQL2 text of the viewer filters', () => {
  it('is undefined when nothing is chosen', () => {
    expect(buildFilter(roles, NO_FILTER)).toBeUndefined();
    expect(isEmpty(NO_FILTER)).toBe(true);
  });

  it('compares one value with = and several with IN', () => {
    expect(buildFilter(roles, { ...NO_FILTER, countries: ['THA'] })).toBe("iso3 = 'THA'");
    expect(buildFilter(roles, { ...NO_FILTER, countries: ['THA', 'VNM'] })).toBe("iso3 IN ('THA', 'VNM')");
  });

  it('joins the filters with AND in a fixed order', () => {
    expect(buildFilter(roles, { countries: ['IDN'], statuses: ['Operating', 'Proposed'], commodities: ['Lignite'], name: '' }))
      .toBe("iso3 = 'IDN' AND status IN ('Operating', 'Proposed') AND coal_type = 'Lignite'");
  });

  it('matches a name in any case, anywhere', () => {
    expect(buildFilter(roles, { ...NO_FILTER, name: '  Han Seng ' })).toBe("CASEI(mine_name) LIKE CASEI('%Han Seng%')");
  });

  it('skips a filter the layer has no property for', () => {
    expect(buildFilter({ name: 'name' }, { ...NO_FILTER, countries: ['THA'], statuses: ['Operating'] })).toBeUndefined();
    expect(buildFilter({ country: 'iso3' }, { ...NO_FILTER, countries: ['THA'], statuses: ['Operating'] })).toBe("iso3 = 'THA'");
  });

  it('doubles quotes in literals', () => {
    expect(literal("Xi'an")).toBe("'Xi''an'");
    expect(buildFilter(roles, { ...NO_FILTER, statuses: ["it's"] })).toBe("status = 'it''s'");
  });

  it('escapes LIKE wildcards in what the user types', () => {
    expect(containsPattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });

  it('quotes property names that are not plain identifiers or are keywords', () => {
    expect(propertyRef('mine_name')).toBe('mine_name');
    expect(propertyRef('group')).toBe('"group"');
    expect(propertyRef('Mine Name')).toBe('"Mine Name"');
    expect(propertyRef('a"b')).toBe('"a""b"');
  });
});
