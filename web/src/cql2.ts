// The viewer's filters as one CQL2 text expression (OGC 21-065r2), the same for the
// map (WMS CQL_FILTER), the feature table and the downloads (filter=).
import type { Roles } from './catalogue';

export interface FilterChoice {
  countries: string[]; // ISO3 codes
  statuses: string[];
  commodities: string[];
  name: string; // a part of the name, any case
}

export const NO_FILTER: FilterChoice = { countries: [], statuses: [], commodities: [], name: '' };

// A CQL2 character literal: quotes doubled (CQL2 BNF, characterLiteral).
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

// A property name, double-quoted when it is not a plain identifier (or is a keyword).
export function propertyRef(name: string): string {
  const keywords = /^(and|or|not|like|between|in|is|null|true|false|casei|accenti|group)$/i;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !keywords.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

// A LIKE pattern matching `text` anywhere: its own % _ and \ escaped.
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function oneOf(property: string, values: string[]): string {
  const p = propertyRef(property);
  return values.length === 1 ? `${p} = ${literal(values[0])}` : `${p} IN (${values.map(literal).join(', ')})`;
}

// The conjunction of the chosen filters the layer has properties for; undefined when
// nothing is chosen (or the layer has none of the properties).
export function buildFilter(roles: Roles, choice: FilterChoice): string | undefined {
  const parts: string[] = [];
  if (roles.country && choice.countries.length) parts.push(oneOf(roles.country, choice.countries));
  if (roles.status && choice.statuses.length) parts.push(oneOf(roles.status, choice.statuses));
  if (roles.commodity && choice.commodities.length) parts.push(oneOf(roles.commodity, choice.commodities));
  const name = choice.name.trim();
  if (roles.name && name)
    parts.push(`CASEI(${propertyRef(roles.name)}) LIKE CASEI(${literal(containsPattern(name))})`);
  return parts.length ? parts.join(' AND ') : undefined;
}

export function isEmpty(choice: FilterChoice): boolean {
  return !choice.countries.length && !choice.statuses.length && !choice.commodities.length && !choice.name.trim();
}
