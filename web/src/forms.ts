// Attribute forms driven by the collection's queryables: the text a user types
// becomes the typed JSON value the server checks (Part 4 bodies).
import type { Property } from './catalogue';
import { t } from './i18n';

export class FieldError extends Error {
  constructor(readonly property: string, message: string) {
    super(message);
  }
}

// The typed value of a form field; null for an empty field.
export function valueFromText(property: Property, text: string): string | number | boolean | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  switch (property.type) {
    case 'integer': {
      if (!/^[-+]?\d+$/.test(trimmed)) throw new FieldError(property.name, t('form.integer', { property: property.title }));
      return Number(trimmed);
    }
    case 'number': {
      const n = Number(trimmed);
      if (!Number.isFinite(n)) throw new FieldError(property.name, t('form.number', { property: property.title }));
      return n;
    }
    case 'boolean': {
      if (/^(true|yes|1)$/i.test(trimmed)) return true;
      if (/^(false|no|0)$/i.test(trimmed)) return false;
      throw new FieldError(property.name, t('form.boolean', { property: property.title }));
    }
    case 'date':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) throw new FieldError(property.name, t('form.date', { property: property.title }));
      return trimmed;
    case 'date-time':
      if (Number.isNaN(Date.parse(trimmed))) throw new FieldError(property.name, t('form.dateTime', { property: property.title }));
      return trimmed;
    default:
      return text;
  }
}

export function textFromValue(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

// The properties a form changed, as a JSON merge patch (RFC 7396) of `before`.
export function changedProperties(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(after)) {
    const old = before[name] ?? null;
    if (old !== value) patch[name] = value;
  }
  return patch;
}

// The HTML input type for a property.
export function inputType(property: Property): string {
  if (property.type === 'integer' || property.type === 'number') return 'number';
  if (property.type === 'date') return 'date';
  return 'text';
}
