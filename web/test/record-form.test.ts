// The record form <-> the record's OGC API - Records GeoJSON (issue 15): what the
// server gives (records_documents.cpp) is read into the form, and the form writes what
// the server reads (record_input.cpp), keeping what it does not edit.
import { describe, expect, it } from 'vitest';
import {
  CRS84, emptyForm, featureOf, fieldOfError, formOf, RecordFieldError, refusalLines, TOPIC_CATEGORY_SCHEME,
} from '../src/record-form';

// A record as GET /collections/catalog/items/{id}?f=json gives it.
const served = {
  id: 'idn-geology-250k',
  type: 'Feature',
  conformsTo: ['http://www.opengis.net/spec/ogcapi-records-1/1.0/req/record-core'],
  geometry: { type: 'Polygon', coordinates: [[[95, -6], [106, -6], [106, 6], [95, 6], [95, -6]]] },
  time: { interval: ['1995-01-01', '..'] },
  properties: {
    type: 'map', title: 'Geological map of Sumatra', description: 'Printed sheets at 1:250,000.',
    keywords: ['geology', 'Sumatra', 'Geology', 'Mineral resources'],
    themes: [
      { scheme: TOPIC_CATEGORY_SCHEME, concepts: [{ id: 'geoscientificInformation' }] },
      { scheme: 'http://inspire.ec.europa.eu/theme', concepts: [{ id: 'Geology' }, { id: 'Mineral resources' }] },
    ],
    language: { code: 'id' },
    externalIds: [{ scheme: 'https://doi.org', value: '10.1234/abc' }],
    formats: [{ name: 'PDF', mediaType: 'application/pdf' }],
    contacts: [{ roles: ['custodian'], name: 'A. Surveyor', organization: 'Geological Agency', position: 'Head',
      emails: [{ value: 'geo@example.org' }], links: [{ href: 'https://geo.example.org', rel: 'about', type: 'text/html' }] }],
    license: 'CC-BY-4.0', rights: '© Geological Agency', created: '1995-06-01T00:00:00Z', updated: '2026-12-01T10:00:00Z',
    country: 'IDN', lineage: 'Scanned from the printed sheets.', updateFrequency: 'notPlanned', referenceSystem: CRS84,
    constraints: ['No commercial use', 'Cite the agency'], origin: 'authored',
  },
  links: [
    { href: 'http://x/collections/catalog/items/idn-geology-250k?f=json', rel: 'self', type: 'application/geo+json' },
    { href: 'http://x/collections/catalog/items/idn-geology-250k?f=html', rel: 'alternate', type: 'text/html' },
    { href: 'http://x/collections/catalog', rel: 'collection' },
    { href: 'http://x/thumb.png', rel: 'preview', type: 'image/png', title: 'Thumbnail' },
    { href: 'https://example.org/sumatra.pdf', rel: 'enclosure', type: 'application/pdf', title: 'The sheets' },
    { href: 'https://example.org/wms', rel: 'service', protocol: 'OGC:WMS', name: 'geology', title: 'geology' },
  ],
};

describe('the record form read from a record', () => {
  const form = formOf(served);

  it('holds the ISO core elements the record carries', () => {
    expect(form.id).toBe('idn-geology-250k');
    expect([form.type, form.title, form.description]).toEqual(['map', 'Geological map of Sumatra', 'Printed sheets at 1:250,000.']);
    expect(form.keywords).toEqual([
      { thesaurus: '', keywords: 'geology, Sumatra' },
      { thesaurus: 'http://inspire.ec.europa.eu/theme', keywords: 'Geology, Mineral resources' },
    ]);
    expect(form.contacts).toEqual([{ name: 'A. Surveyor', organisation: 'Geological Agency', position: 'Head',
      email: 'geo@example.org', url: 'https://geo.example.org', role: 'custodian' }]);
    expect(form.bbox).toEqual(['95', '-6', '106', '6']);
    expect([form.timeStart, form.timeEnd]).toEqual(['1995-01-01', '']);
    expect([form.lineage, form.licence, form.rights, form.constraints]).toEqual(
      ['Scanned from the printed sheets.', 'CC-BY-4.0', '© Geological Agency', 'No commercial use\nCite the agency']);
    expect([form.referenceSystem, form.updateFrequency, form.language, form.country]).toEqual([CRS84, 'notPlanned', 'id', 'IDN']);
  });

  it('lists the distribution links, not the links the server makes', () => {
    expect(form.links.map((l) => l.href)).toEqual(['https://example.org/sumatra.pdf', 'https://example.org/wms']);
    expect(form.links[1]).toEqual({ href: 'https://example.org/wms', rel: 'service', type: '', protocol: 'OGC:WMS', name: 'geology', title: 'geology' });
  });

  it('keeps what it does not edit, and drops what the server sets', () => {
    expect(Object.keys(form.keptProperties).sort()).toEqual(['created', 'externalIds', 'formats']);
    expect(form.keptThemes).toEqual([served.properties.themes[0]]);
    expect(form.keptLinks).toEqual([served.links[3]]);
  });
});

describe('the record GeoJSON written from the form', () => {
  it('gives back the record it was read from (what the server reads of it)', () => {
    const written = featureOf(formOf(served));
    expect(written.id).toBe(served.id);
    expect(written.geometry).toEqual(served.geometry);
    expect(written.time).toEqual(served.time);
    const p = written.properties as Record<string, unknown>;
    const { updated: _u, origin: _o, ...rest } = served.properties;
    expect(p).toEqual({ ...rest, keywords: ['geology', 'Sumatra'],
      themes: [served.properties.themes[0], served.properties.themes[1]] });
    expect(written.links).toEqual([served.links[4], served.links[5], served.links[3]]);
  });

  it('writes a new record without an id, empty fields left out, a typed extent as a polygon', () => {
    const form = emptyForm('VNM');
    Object.assign(form, { title: ' Bauxite occurrences ', bbox: ['102', '8.5', '109.5', '23.4'], timeStart: '2020-01-01' });
    form.keywords[0].keywords = 'bauxite, aluminium, bauxite';
    form.contacts[0].organisation = 'VIGMR';
    form.links.push({ href: 'https://example.vn/bauxite.gpkg', rel: '', type: 'application/geopackage+sqlite3', protocol: '', name: '', title: '' });
    form.links.push({ href: ' ', rel: 'related', type: '', protocol: '', name: '', title: 'no address' });
    const written = featureOf(form);
    expect(written).toEqual({
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [[[102, 8.5], [109.5, 8.5], [109.5, 23.4], [102, 23.4], [102, 8.5]]] },
      time: { interval: ['2020-01-01', '..'] },
      properties: { type: 'dataset', title: 'Bauxite occurrences', description: '', keywords: ['bauxite', 'aluminium'],
        contacts: [{ roles: ['pointOfContact'], organization: 'VIGMR' }], referenceSystem: CRS84,
        language: { code: 'en' }, country: 'VNM' },
      links: [{ href: 'https://example.vn/bauxite.gpkg', rel: 'related', type: 'application/geopackage+sqlite3' }],
    });
  });

  it('has no extent when no side is typed, and refuses a side that is no number before sending', () => {
    expect(featureOf(emptyForm()).geometry).toBeNull();
    expect(featureOf(emptyForm()).time).toBeNull();
    const form = emptyForm();
    form.bbox = ['100', '', '110', '20'];
    expect(() => featureOf(form)).toThrow(RecordFieldError);
    form.bbox = ['100', 'ten', '110', '20'];
    try {
      featureOf(form);
    } catch (e) {
      expect((e as RecordFieldError).field).toBe('bbox');
    }
    // Out of range is the server's to say (its message is shown): sent as typed.
    form.bbox = ['100', '10', '110', '95'];
    expect((featureOf(form).geometry as { coordinates: number[][][] }).coordinates[0][2]).toEqual([110, 95]);
  });
});

describe('the server refusals beside the form', () => {
  it('are shown at the field the locator names', () => {
    expect(fieldOfError('extent', 'a CRS84 box within [-180,180] x [-90,90] with min <= max')).toBe('bbox');
    expect(fieldOfError('time.interval', "'2020-13-01' is not an RFC 3339 date or date-time")).toBe('time');
    expect(fieldOfError('title', 'a record has a title')).toBe('title');
    expect(fieldOfError('properties.contacts', "'properties.contacts.name' must be a string")).toBe('contacts');
    expect(fieldOfError('', "an editor for IDN may not create a record in VNM ('country')")).toBe('country');
    expect(fieldOfError('', 'an editor for IDN may not change a record of VNM')).toBe('');
  });

  it("split an ISO schema refusal into the schema's messages, one a line", () => {
    const message = "the document is not valid ISO 19139 (gmd 2006-05-04): line 12: Element '{http://www.isotc211.org/2005/gmd}bogus': "
      + 'This element is not expected.; line 30: Element x: [facet \'pattern\'] bad';
    expect(refusalLines(message)).toEqual([
      'the document is not valid ISO 19139 (gmd 2006-05-04)',
      "line 12: Element '{http://www.isotc211.org/2005/gmd}bogus': This element is not expected.",
      "line 30: Element x: [facet 'pattern'] bad",
    ]);
    expect(refusalLines('a record has a title')).toEqual(['a record has a title']);
  });
});
