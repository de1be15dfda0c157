import { describe, expect, it } from 'vitest';
import { displayValue, humanName, layerOf, matchesSearch, propertiesOf, rolesOf } from '../src/catalogue';

const coalMines = {
  properties: {
    geometry: { format: 'geometry-point', title: 'Geometry' },
    gem_mine_id: { type: 'string', title: 'gem_mine_id' },
    mine_name: { type: 'string', title: 'mine_name' },
    mine_name_non_eng: { type: 'string', title: 'mine_name_non_eng' },
    complex_name: { type: 'string', title: 'complex_name' },
    iso3: { type: 'string', title: 'iso3', enum: ['CHN', 'IDN'] },
    country: { type: 'string', title: 'country' },
    status: { type: 'string', title: 'status', enum: ['Operating', 'Proposed'] },
    coal_type: { type: 'string', title: 'coal_type' },
    capacity_mtpa: { type: 'number', title: 'capacity_mtpa' },
    opening_year: { type: 'integer', title: 'opening_year' },
    surveyed: { type: 'string', format: 'date', title: 'surveyed' },
  },
};

describe('layer catalogue', () => {
  it('reads the queryables without the geometry, with types and enums', () => {
    const props = propertiesOf(coalMines);
    expect(props.map((p) => p.name)).not.toContain('geometry');
    expect(props.find((p) => p.name === 'capacity_mtpa')?.type).toBe('number');
    expect(props.find((p) => p.name === 'opening_year')?.type).toBe('integer');
    expect(props.find((p) => p.name === 'surveyed')?.type).toBe('date');
    expect(props.find((p) => p.name === 'status')?.values).toEqual(['Operating', 'Proposed']);
    expect(props.find((p) => p.name === 'mine_name')?.title).toBe('Mine name');
  });

  it('finds the name, country, status and commodity of the GEM coal mines', () => {
    expect(rolesOf(propertiesOf(coalMines))).toEqual({ name: 'mine_name', country: 'iso3', status: 'status', commodity: 'coal_type' });
  });

  it('finds them in the mine facilities database', () => {
    const roles = rolesOf(propertiesOf({ properties: {
      facility_name: { type: 'string' }, facility_other_names: { type: 'string' }, iso3: { type: 'string' },
      activity_status: { type: 'string' }, primary_commodity: { type: 'string' }, commodities_products: { type: 'string' },
    } }));
    expect(roles).toEqual({ name: 'facility_name', country: 'iso3', status: 'activity_status', commodity: 'primary_commodity' });
  });

  it('has no roles for a layer without such properties', () => {
    expect(rolesOf(propertiesOf({ properties: { depth: { type: 'number' } } }))).toEqual({
      name: undefined, country: undefined, status: undefined, commodity: undefined });
  });

  it('reads a collection document', () => {
    const info = layerOf({ id: 'coal_mines', title: 'Coal mines', extent: { spatial: { bbox: [[95, -10, 145, 50]] } } }, coalMines);
    expect(info.geometryType).toBe('point');
    expect(info.extent).toEqual([95, -10, 145, 50]);
    expect(info.kind).toBe('vector');
  });

  it('writes names and values for people', () => {
    expect(humanName('iso3')).toBe('ISO3');
    expect(humanName('capacity_mtpa')).toBe('Capacity mtpa');
    expect(humanName('openingYear')).toBe('Opening year');
    expect(displayValue(null)).toBe('');
    expect(displayValue(0.30000000000000004)).toBe('0.3');
    expect(displayValue(2021)).toBe('2021');
    expect(displayValue(true)).toBe('yes');
    // A catalogue record's lists and groups, in a review's diff.
    expect(displayValue(['bauxite', 'aluminium'])).toBe('bauxite, aluminium');
    expect(displayValue([{ keywords: ['gold'], thesaurus: 'GEMET' }])).toBe('[{"keywords":["gold"],"thesaurus":"GEMET"}]');
  });
});

describe('catalogue search', () => {
  const layer = layerOf({ id: 'b', title: 'Coal mine boundaries (GEM)', description: 'Mapped boundaries of coal mines',
    keywords: ['methane', 'GEM'], attribution: 'Global Energy Monitor' } as never, { properties: {} });
  it('needs every word somewhere, in any case', () => {
    expect(matchesSearch(layer, 'coal METHANE')).toBe(true);
    expect(matchesSearch(layer, 'energy monitor')).toBe(true);
    expect(matchesSearch(layer, 'coal gold')).toBe(false);
    expect(matchesSearch(layer, '   ')).toBe(true);
  });
});
