import { describe, expect, it } from 'vitest';
import { linkTemplateProblem, publicLink } from '#shared/links.ts';

const API = 'https://api.example/p/bimson/thu-tuc/bimson-khai-sinh';

describe('Function: publicLink', () => {
  it("fills the portal's template, encoding the value", () => {
    expect(publicLink('procedure', 'https://portal.example/thu-tuc/{procedureId}', 'bimson-khai-sinh', API)).toBe(
      'https://portal.example/thu-tuc/bimson-khai-sinh',
    );
    expect(publicLink('dossier', 'https://portal.example/tra-cuu?ma={code}&x={code}', 'A B/1', 'fallback')).toBe(
      'https://portal.example/tra-cuu?ma=A%20B%2F1&x=A%20B%2F1',
    );
  });

  it('falls back to our own public page when no usable template is set', () => {
    expect(publicLink('procedure', undefined, 'x', API)).toBe(API);
    expect(publicLink('procedure', '  ', 'x', API)).toBe(API);
    expect(publicLink('procedure', 'https://portal.example/thu-tuc/{code}', 'x', API)).toBe(API);
    expect(publicLink('dossier', 'javascript:alert({code})', 'x', 'fb')).toBe('fb');
  });
});

describe('Function: linkTemplateProblem', () => {
  it('accepts an absolute http(s) URL with the placeholder of its kind, and says what is wrong otherwise', () => {
    expect(linkTemplateProblem('https://portal.example/thu-tuc/{procedureId}', 'procedure')).toBeUndefined();
    expect(linkTemplateProblem('http://localhost:5173/ho-so/{code}', 'dossier')).toBeUndefined();
    expect(linkTemplateProblem('https://portal.example/thu-tuc', 'procedure')).toBe('must contain {procedureId}');
    expect(linkTemplateProblem('/thu-tuc/{procedureId}', 'procedure')).toBe('must be an absolute URL');
    expect(linkTemplateProblem('file:///etc/{code}', 'dossier')).toBe('must be an http(s) URL');
  });
});
