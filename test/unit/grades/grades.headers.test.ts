import { linkWithRel, retryAfterMs } from '../../../src/grades';

describe('the Link header of an AGS list', () => {
  const base = 'https://lms.example.edu/mod/lti/services.php/2/lineitems?type_id=1';

  it('gives the next page in plain quotes (Canvas)', () => {
    const header =
      '<https://canvas.example.edu/api/lti/courses/2/line_items?page=1>; rel="current",<https://canvas.example.edu/api/lti/courses/2/line_items?page=2>; rel="next",<https://canvas.example.edu/api/lti/courses/2/line_items?page=1>; rel="first"';
    expect(linkWithRel(header, 'next')).toBe(
      'https://canvas.example.edu/api/lti/courses/2/line_items?page=2',
    );
  });

  it('gives the next page in typographic quotes, as text and as the UTF-8 bytes read as latin1 (Moodle)', () => {
    const header =
      '<https://lms.example.edu/l?from=0>; rel=“first”, <https://lms.example.edu/l?from=0>; rel=“canonical”, <https://lms.example.edu/l?from=5>; rel=“next”, <https://lms.example.edu/l?from=10>; rel=“last”';
    expect(linkWithRel(header, 'next')).toBe('https://lms.example.edu/l?from=5');
    const asBytes = Buffer.from(header, 'utf8').toString('latin1');
    expect(asBytes).not.toContain('“');
    expect(linkWithRel(asBytes, 'next')).toBe('https://lms.example.edu/l?from=5');
  });

  it('takes an unquoted rel, several rel values, any case, and a relative target', () => {
    expect(linkWithRel('</l?from=5>; rel=next', 'next', base)).toBe('https://lms.example.edu/l?from=5');
    expect(linkWithRel('<https://a.example/x>; title="a"; REL="prev Next"', 'next')).toBe(
      'https://a.example/x',
    );
  });

  it('gives nothing on the last page, without a header, or for a target that is not a URL', () => {
    expect(linkWithRel('<https://a.example/1>; rel="prev", <https://a.example/0>; rel="first"', 'next')).toBe(
      undefined,
    );
    expect(linkWithRel(undefined, 'next')).toBe(undefined);
    expect(linkWithRel('', 'next')).toBe(undefined);
    expect(linkWithRel('<not a url>; rel="next"', 'next')).toBe(undefined);
    expect(linkWithRel('<https://a.example/x>; rel="nextpage"', 'next')).toBe(undefined);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-12-07T15:00:00.000Z');

  it('reads whole seconds', () => {
    expect(retryAfterMs('0', now)).toBe(0);
    expect(retryAfterMs(' 7 ', now)).toBe(7000);
  });

  it('reads an HTTP date, and a date past as no wait', () => {
    expect(retryAfterMs('Mon, 07 Dec 2026 15:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Mon, 07 Dec 2026 14:59:00 GMT', now)).toBe(0);
  });

  it('reads anything else as no advice', () => {
    for (const value of [undefined, null, '', '-1', '1.5', 'soon', '2026-12-07'])
      expect(retryAfterMs(value, now)).toBe(undefined);
  });
});
