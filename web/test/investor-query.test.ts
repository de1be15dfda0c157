import { describe, expect, it } from 'vitest';
import { investFilter, type InvestQuestion } from '../src/invest/investor-query';
import { depositCollections, tonnageOf } from '../src/invest/invest-panel';
import type { LayerInfo } from '../src/catalogue';

const base: InvestQuestion = {
  commodityProperty: 'commodity', commodities: [], tonnageProperty: 'tonnage_mt', countryProperty: 'iso3', countries: [],
  licenceRule: 'any', licences: 'licences', licenceStatusProperty: 'status', licenceStatuses: [], ports: 'ports',
};

describe('the investor question as CQL2 text', () => {
  it('is undefined when nothing is asked', () => {
    expect(investFilter(base)).toBeUndefined();
  });

  it('writes the issue example with the join functions', () => {
    expect(investFilter({ ...base, commodities: ['Cu', 'Ni'], minTonnage: 10, countries: ['IDN', 'PHL'],
      licenceRule: 'outside', licenceStatuses: ['active'], portKm: 50 }))
      .toBe("commodity IN ('Cu', 'Ni') AND tonnage_mt >= 10 AND iso3 IN ('IDN', 'PHL') AND "
        + "NOT amis_inside(geom, 'licences', 'status = ''active''') AND amis_within_distance(geom, 'ports', 50000)");
  });

  it('quotes the condition inside the condition literal', () => {
    expect(investFilter({ ...base, licenceRule: 'inside', licenceStatuses: ["o'k", 'pending'] }))
      .toBe("amis_inside(geom, 'licences', 'status IN (''o''''k'', ''pending'')')");
  });

  it('leaves out a licence join without a rule and a port join without a distance', () => {
    expect(investFilter({ ...base, minTonnage: 0.5, portKm: 0 })).toBe('tonnage_mt >= 0.5');
    expect(investFilter({ ...base, licenceRule: 'inside', licences: undefined, portKm: 12.5 }))
      .toBe("amis_within_distance(geom, 'ports', 12500)");
  });
});

describe('the deposit collections', () => {
  const layer = (id: string, props: Array<[string, 'string' | 'number']>, commodity?: string): LayerInfo => ({
    id, title: id, description: '', kind: 'vector', geometryType: 'point',
    properties: props.map(([name, type]) => ({ name, title: name, type })), roles: { commodity },
  });
  it('are those with a commodity, with a tonnage first', () => {
    const list = depositCollections([layer('mines', [['commodity', 'string']], 'commodity'),
      layer('deposits', [['commodity', 'string'], ['tonnage_mt', 'number']], 'commodity'), layer('ports', [['name', 'string']])]);
    expect(list.map((l) => l.id)).toEqual(['deposits', 'mines']);
  });
  it('take the coal tracker\'s reserves (Mt) as the tonnage of the demo\'s coal mines', () => {
    const coal = layer('coal_mines', [['coal_type', 'string'], ['capacity_mtpa', 'number'], ['reserves_mt', 'number'],
      ['resources_mt', 'number']], 'coal_type');
    const list = depositCollections([layer('major_mineral_deposits', [['commodity', 'string']], 'commodity'), coal]);
    expect(list.map((l) => l.id)).toEqual(['coal_mines', 'major_mineral_deposits']);
    expect(tonnageOf(coal)?.name).toBe('reserves_mt');
    // The text tests/integration/investment asks of OGC API and WFS on the demo's coal mines.
    expect(investFilter({ ...base, commodityProperty: 'coal_type', tonnageProperty: 'reserves_mt', minTonnage: 10,
      countries: ['IDN', 'PHL'] })).toBe("reserves_mt >= 10 AND iso3 IN ('IDN', 'PHL')");
  });
});
