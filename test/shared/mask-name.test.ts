import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskName } from '#shared/signing.ts';

const graphemes = (s: string) =>
  [...new Intl.Segmenter('vi', { granularity: 'grapheme' }).segment(s)].map((x) => x.segment);

describe('Function: maskName', () => {
  it('keeps the family and middle names to their first grapheme, the given name whole', () => {
    expect(maskName('Nguyễn Thị Hồng Nhung')).toBe('N. T. H. Nhung');
    expect(maskName('😀 Văn An')).toBe('😀. V. An');
    expect(maskName('👨‍👩‍👧 Văn An')).toBe('👨‍👩‍👧. V. An');
    expect(maskName(`${'Đ'.normalize('NFD')}ặng Thị Ánh`)).toBe('Đ. T. Ánh');
  });

  it('always gives well-formed Unicode whose initials are whole graphemes of the name (property)', () => {
    const word = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).filter((w) => !/\s/.test(w));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), (words) => {
        const full = words.join(' ');
        const masked = maskName(full);
        expect(masked.isWellFormed()).toBe(true);
        const parts = full.normalize('NFC').trim().split(/\s+/);
        const initials = masked.split(' ').slice(0, -1);
        initials.forEach((initial, i) => {
          expect(initial).toBe(`${graphemes(parts[i] as string)[0]}.`);
        });
      }),
      { numRuns: 500 },
    );
  });
});
