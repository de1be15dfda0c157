// The addresses the portal gives users: downloads of the current layer and filter,
// and the service URLs to paste into QGIS, ArcGIS or GDAL.

export interface DownloadFormat {
  f: string; // the items endpoint's f= value
  label: string; // its key in web/i18n
  extension: string;
}

export const DOWNLOAD_FORMATS: DownloadFormat[] = [
  { f: 'geojson', label: 'download.format.geojson', extension: 'geojson' },
  { f: 'csv', label: 'download.format.csv', extension: 'csv' },
  { f: 'gpkg', label: 'download.format.gpkg', extension: 'gpkg' },
  { f: 'shapezip', label: 'download.format.shapezip', extension: 'zip' },
  { f: 'kml', label: 'download.format.kml', extension: 'kml' },
];

// The most features a download holds: the server's [features] max_download_features
// (default 1,000,000). A download asks for all of them: the server streams the file
// (download=true makes GeoJSON one attachment instead of a 10,000-feature page) and
// serves at most its own cap.
export const DOWNLOAD_CAP = 1_000_000;

// `base` is the service root, e.g. "http://host:8080" (no trailing slash).
export function downloadUrl(base: string, collection: string, format: string, filter?: string,
  bbox?: [number, number, number, number]): string {
  const q = new URLSearchParams({ f: format, limit: String(DOWNLOAD_CAP), download: 'true' });
  if (filter) {
    q.set('filter', filter);
    q.set('filter-lang', 'cql2-text');
  }
  if (bbox) q.set('bbox', bbox.map((v) => round(v, 6)).join(','));
  return `${base}/collections/${encodeURIComponent(collection)}/items?${q.toString()}`;
}

export function round(value: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(value * k) / k;
}

export interface ServiceUrl {
  name: string;
  url: string;
  hint: string; // the key of its hint in web/i18n (the menus of QGIS named in the reader's language)
  example?: string; // a command line, the same in every language
}

export function serviceUrls(base: string): ServiceUrl[] {
  return [
    { name: 'OGC API – Features, Tiles, Styles', url: `${base}/`, hint: 'download.hint.oapi', example: `ogrinfo OAPIF:${base}` },
    { name: 'WMS 1.3.0', url: `${base}/wms`, hint: 'download.hint.wms' },
    { name: 'WFS 2.0', url: `${base}/wfs`, hint: 'download.hint.wfs', example: `ogrinfo WFS:${base}/wfs` },
    { name: 'WMTS 1.0.0', url: `${base}/wmts`, hint: 'download.hint.wmts' },
  ];
}

// The service root of the page at `pageUrl` (the portal lives at <root>/portal/).
export function serviceRoot(pageUrl: string): string {
  const u = new URL(pageUrl);
  const path = u.pathname.replace(/\/portal(\/.*)?$/, '').replace(/\/+$/, '');
  return `${u.origin}${path}`;
}
