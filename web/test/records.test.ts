import { describe, expect, it } from 'vitest';
import {
  clampBbox, facetFilter, layerIdOf, pageLabel, pageOf, queryTerms, recordOf, searchParams, toggled,
  type CatalogueSearch,
} from '../src/records';

const coalRecord = {
  id: 'amis:collection:coal_mines',
  type: 'Feature',
  geometry: { type: 'Polygon', coordinates: [[[95, -10], [141, -10], [141, 46], [95, 46], [95, -10]]] },
  properties: {
    type: 'dataset', title: 'Coal mines', description: 'Coal mines of ASEAN+3', country: 'IDN',
    keywords: ['coal', 'mines', 'coal'], formats: [{ name: 'GeoJSON' }, { name: 'GeoPackage' }],
    updated: '2026-12-01T00:00:00Z',
  },
  links: [
    { href: 'http://x/collections/catalog/items/a', rel: 'self' },
    { href: 'http://x/collections/coal_mines', rel: 'collection', name: 'coal_mines', protocol: 'OGC API - Features' },
  ],
};

const empty: CatalogueSearch = { text: '', chosen: {}, offset: 0, limit: 10 };

describe('catalogue search', () => {
  it('asks for every facet, and for nothing else when nothing is chosen', () => {
    const p = searchParams(empty);
    expect(p.get('facets')).toBe('true');
    expect(p.get('limit')).toBe('10');
    expect(p.has('q')).toBe(false);
    expect(p.has('bbox')).toBe(false);
    expect(p.has('filter')).toBe(false);
    expect(p.has('offset')).toBe(false);
  });

  it('gives the words of the text as q terms', () => {
    expect(queryTerms('  gold  copper,tin ')).toEqual(['gold', 'copper', 'tin']);
    expect(searchParams({ ...empty, text: 'gold copper' }).get('q')).toBe('gold,copper');
  });

  it('turns facet choices into CQL2: any value of a facet, every facet; type as its parameter', () => {
    const chosen = { keyword: ['coal', "O'Brien"], country: ['IDN'], type: ['dataset', 'service'], format: [] };
    expect(facetFilter(chosen)).toBe("A_OVERLAPS(keywords, ('coal', 'O''Brien')) AND country = 'IDN'");
    expect(facetFilter({ country: ['IDN', 'LAO'] })).toBe("country IN ('IDN', 'LAO')");
    expect(facetFilter({ type: ['dataset'] })).toBeUndefined();
    const p = searchParams({ ...empty, chosen });
    expect(p.get('type')).toBe('dataset,service');
    expect(p.get('filter-lang')).toBe('cql2-text');
  });

  it('keeps the bbox of a map view inside CRS84', () => {
    expect(clampBbox([-200, -95, 200, 95])).toEqual([-180, -90, 180, 90]);
    expect(clampBbox([100.123456, 1, 110, 2])).toEqual([100.12346, 1, 110, 2]);
    expect(searchParams({ ...empty, bbox: [100, 1, 110, 2] }).get('bbox')).toBe('100,1,110,2');
  });

  it('starts again at the first page when a facet value is chosen or dropped', () => {
    const on = toggled({ ...empty, offset: 30 }, 'keyword', 'coal');
    expect(on.chosen.keyword).toEqual(['coal']);
    expect(on.offset).toBe(0);
    expect(toggled(on, 'keyword', 'coal').chosen.keyword).toEqual([]);
  });
});

describe('catalogue records', () => {
  it('reads a record: extent from its polygon, distinct keywords, format names', () => {
    const r = recordOf(coalRecord);
    expect(r.title).toBe('Coal mines');
    expect(r.extent).toEqual([95, -10, 141, 46]);
    expect(r.keywords).toEqual(['coal', 'mines']);
    expect(r.formats).toEqual(['GeoJSON', 'GeoPackage']);
    expect(recordOf({ id: 'x', geometry: null }).extent).toBeUndefined();
  });

  it('finds the layer of an AMIS record only when the portal has it', () => {
    const r = recordOf(coalRecord);
    expect(layerIdOf(r, new Set(['coal_mines']))).toBe('coal_mines');
    expect(layerIdOf(r, new Set(['mine_facilities']))).toBeUndefined();
  });

  it('reads a page with its count and facets, and says where it is', () => {
    const page = pageOf({
      features: [coalRecord], numberMatched: 25,
      facets: { keyword: { buckets: [{ value: 'coal', count: 3 }] }, nonsense: { buckets: [] } },
    });
    expect(page.matched).toBe(25);
    expect(page.facets.keyword).toEqual([{ value: 'coal', count: 3 }]);
    expect(Object.keys(page.facets)).toEqual(['keyword']);
    expect(pageLabel(page, 10)).toBe('Showing 11–11 of 25');
    expect(pageLabel({ records: [], matched: 0, facets: {} }, 0)).toBe('No record matches.');
  });
});
