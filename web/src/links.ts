// The addresses the portal gives users: downloads of the current layer and filter,
// and the service URLs to paste into QGIS, ArcGIS or GDAL.

export interface DownloadFormat {
  f: string; // the items endpoint's f= value
  label: string;
  extension: string;
}

export const DOWNLOAD_FORMATS: DownloadFormat[] = [
  { f: 'geojson', label: 'GeoJSON', extension: 'geojson' },
  { f: 'csv', label: 'CSV (WKT geometry)', extension: 'csv' },
  { f: 'gpkg', label: 'GeoPackage', extension: 'gpkg' },
  { f: 'shapezip', label: 'Shapefile (zip)', extension: 'zip' },
  { f: 'kml', label: 'KML', extension: 'kml' },
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
  hint: string;
}

export function serviceUrls(base: string): ServiceUrl[] {
  return [
    { name: 'OGC API – Features, Tiles, Styles', url: `${base}/`, hint: 'QGIS: Layer › Add Layer › Add WFS / OGC API – Features Layer; GDAL: ogrinfo OAPIF:' + base },
    { name: 'WMS 1.3.0', url: `${base}/wms`, hint: 'QGIS: Layer › Add Layer › Add WMS/WMTS Layer' },
    { name: 'WFS 2.0', url: `${base}/wfs`, hint: 'QGIS: Add WFS Layer; GDAL: ogrinfo WFS:' + base + '/wfs' },
    { name: 'WMTS 1.0.0', url: `${base}/wmts`, hint: 'QGIS: Add WMS/WMTS Layer' },
  ];
}

// The service root of the page at `pageUrl` (the portal lives at <root>/portal/).
export function serviceRoot(pageUrl: string): string {
  const u = new URL(pageUrl);
  const path = u.pathname.replace(/\/portal(\/.*)?$/, '').replace(/\/+$/, '');
  return `${u.origin}${path}`;
}
