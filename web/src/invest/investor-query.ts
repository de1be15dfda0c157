// The investor search's question as CQL2 text (OGC 21-065r2) over the deposits
// collection, with AMIS's spatial-join functions (listed at /functions):
//   amis_inside(geom, 'licences', 'status = ''active''')
//   amis_within_distance(geom, 'ports', 50000)
// The same text filters the map, the table and the downloads, and is what the
// user copies into QGIS, GDAL or OWSLib. Pure: unit-tested without a server.
import { literal, propertyRef } from '../cql2';

export type LicenceRule = 'any' | 'outside' | 'inside';

export interface InvestQuestion {
  commodityProperty: string;
  commodities: string[];
  tonnageProperty?: string;
  minTonnage?: number; // Mt
  countryProperty?: string;
  countries: string[]; // ISO3
  licenceRule: LicenceRule;
  licences?: string; // the licences collection
  licenceStatusProperty?: string;
  licenceStatuses: string[];
  ports?: string; // the ports collection
  portKm?: number;
}

function oneOf(property: string, values: string[]): string {
  const p = propertyRef(property);
  return values.length === 1 ? `${p} = ${literal(values[0])}` : `${p} IN (${values.map(literal).join(', ')})`;
}

// A number as CQL2 writes it: no exponent, no trailing zeros.
function numeral(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(6)));
}

// The condition on the licences a join counts, as a CQL2-Text string literal.
function licenceCondition(q: InvestQuestion): string {
  if (!q.licenceStatusProperty || !q.licenceStatuses.length) return '';
  return `, ${literal(oneOf(q.licenceStatusProperty, q.licenceStatuses))}`;
}

// undefined when nothing is asked.
export function investFilter(q: InvestQuestion): string | undefined {
  const parts: string[] = [];
  if (q.commodities.length) parts.push(oneOf(q.commodityProperty, q.commodities));
  if (q.tonnageProperty && q.minTonnage !== undefined && Number.isFinite(q.minTonnage))
    parts.push(`${propertyRef(q.tonnageProperty)} >= ${numeral(q.minTonnage)}`);
  if (q.countryProperty && q.countries.length) parts.push(oneOf(q.countryProperty, q.countries));
  if (q.licences && q.licenceRule !== 'any') {
    const join = `amis_inside(geom, ${literal(q.licences)}${licenceCondition(q)})`;
    parts.push(q.licenceRule === 'outside' ? `NOT ${join}` : join);
  }
  if (q.ports && q.portKm !== undefined && Number.isFinite(q.portKm) && q.portKm > 0)
    parts.push(`amis_within_distance(geom, ${literal(q.ports)}, ${numeral(q.portKm * 1000)})`);
  return parts.length ? parts.join(' AND ') : undefined;
}
