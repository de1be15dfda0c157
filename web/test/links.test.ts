import { describe, expect, it } from 'vitest';
import { DOWNLOAD_FORMATS, downloadUrl, serviceRoot, serviceUrls } from '../src/links';

describe('download and service links', () => {
  it('asks the items endpoint for every format with the filter and the box', () => {
    const url = new URL(downloadUrl('http://h:8080', 'coal_mines', 'gpkg', "iso3 = 'THA'", [100.1234567, 5, 105, 20]));
    expect(url.pathname).toBe('/collections/coal_mines/items');
    expect(url.searchParams.get('f')).toBe('gpkg');
    expect(url.searchParams.get('filter')).toBe("iso3 = 'THA'");
    expect(url.searchParams.get('filter-lang')).toBe('cql2-text');
    expect(url.searchParams.get('bbox')).toBe('100.123457,5,105,20');
    expect(url.searchParams.get('limit')).toBe('1000000');
    expect(url.searchParams.get('download')).toBe('true');
  });

  it('leaves out what is not chosen', () => {
    const url = new URL(downloadUrl('http://h', 'a b', 'csv'));
    expect(url.pathname).toBe('/collections/a%20b/items');
    expect(url.searchParams.has('filter')).toBe(false);
    expect(url.searchParams.has('bbox')).toBe(false);
  });

  it('offers the five formats the issue names', () => {
    expect(DOWNLOAD_FORMATS.map((f) => f.f)).toEqual(['geojson', 'csv', 'gpkg', 'shapezip', 'kml']);
  });

  it('finds the service root above /portal/, behind a prefix too', () => {
    expect(serviceRoot('http://localhost:8080/portal/')).toBe('http://localhost:8080');
    expect(serviceRoot('https://amis.example.org/geo/portal/?x=1#y')).toBe('https://amis.example.org/geo');
    expect(serviceUrls('http://h').map((s) => s.url)).toEqual(['http://h/', 'http://h/wms', 'http://h/wfs', 'http://h/wmts']);
  });
});
