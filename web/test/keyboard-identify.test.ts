import { describe, expect, it } from 'vitest';
import { lonLatText } from '../src/viewer/keyboard-identify';

describe('the crosshair position read out', () => {
  it('names the hemispheres and keeps four decimals', () => {
    expect(lonLatText([105.5, -6.25])).toBe('6.2500° S, 105.5000° E');
    expect(lonLatText([-0.123456, 51.5])).toBe('51.5000° N, 0.1235° W');
  });
});
