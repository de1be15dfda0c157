import { describe, expect, it } from 'vitest';
import { changedProperties, FieldError, inputType, valueFromText } from '../src/forms';
import type { Property } from '../src/catalogue';

const p = (type: Property['type']): Property => ({ name: 'x', title: 'X', type });

describe('attribute form values', () => {
  it('types what is typed', () => {
    expect(valueFromText(p('integer'), ' 42 ')).toBe(42);
    expect(valueFromText(p('number'), '3.5')).toBe(3.5);
    expect(valueFromText(p('boolean'), 'yes')).toBe(true);
    expect(valueFromText(p('boolean'), 'false')).toBe(false);
    expect(valueFromText(p('date'), '2024-02-29')).toBe('2024-02-29');
    expect(valueFromText(p('string'), ' keeps spaces ')).toBe(' keeps spaces ');
  });

  it('makes an empty field null', () => {
    expect(valueFromText(p('integer'), '')).toBeNull();
    expect(valueFromText(p('string'), '   ')).toBeNull();
  });

  it('refuses what does not fit, naming the field', () => {
    expect(() => valueFromText(p('integer'), '4.5')).toThrow(FieldError);
    expect(() => valueFromText(p('number'), 'many')).toThrow('X must be a number');
    expect(() => valueFromText(p('date'), '29/02/2024')).toThrow(FieldError);
    expect(() => valueFromText(p('boolean'), 'maybe')).toThrow(FieldError);
  });

  it('gives the changed properties as a merge patch', () => {
    expect(changedProperties({ a: 1, b: 'x', c: null }, { a: 1, b: 'y', c: null, d: 2 })).toEqual({ b: 'y', d: 2 });
  });

  it('chooses input types', () => {
    expect(inputType(p('integer'))).toBe('number');
    expect(inputType(p('date'))).toBe('date');
    expect(inputType(p('string'))).toBe('text');
  });
});
