import type { ZoomAccountApi, ZoomRequestSpec } from '../../../src/zoom/zoom.client';
import { registrantNames, zoomRegistrants } from '../../../src/zoom/zoom.registrants.api';

function fakeApi(answers: unknown[]) {
  const sent: Array<ZoomRequestSpec<unknown>> = [];
  const api = {
    request: async <T>(spec: ZoomRequestSpec<T>): Promise<T> => {
      sent.push(spec as ZoomRequestSpec<unknown>);
      return spec.schema.parse(answers.shift());
    },
  } as unknown as ZoomAccountApi;
  return { api, sent };
}

describe('Zoom registrants', () => {
  it('adds a registrant with POST /meetings/{id}/registrants (Light, never repeated: not idempotent)', async () => {
    const { api, sent } = fakeApi([
      { id: 812, registrant_id: 'r1', join_url: 'https://zoom.example/w/812?tk=x' },
    ]);
    const added = await zoomRegistrants(api).add('812', {
      email: 'u-a@ids.example',
      first_name: 'Ana',
      last_name: 'García',
    });
    expect(added).toMatchObject({ registrant_id: 'r1', join_url: 'https://zoom.example/w/812?tk=x' });
    expect(sent[0]).toMatchObject({
      method: 'POST',
      path: '/meetings/{meetingId}/registrants',
      pathParams: { meetingId: '812' },
      body: { email: 'u-a@ids.example', first_name: 'Ana', last_name: 'García' },
      category: 'light',
    });
    expect(sent[0]?.idempotent).not.toBe(true);
  });

  it('refuses an answer without registrant_id or join_url', async () => {
    const { api } = fakeApi([{ id: 812, join_url: 'x' }]);
    await expect(
      zoomRegistrants(api).add('812', { email: 'e@x.example', first_name: 'A' }),
    ).rejects.toThrow();
  });

  it('lists approved registrants, 300 a page, following next_page_token to the last page', async () => {
    const { api, sent } = fakeApi([
      { next_page_token: 'p2', registrants: [{ id: 'r1', email: 'a@x.example', join_url: 'j1' }] },
      { next_page_token: '', registrants: [{ id: 'r2', email: 'b@x.example', join_url: 'j2' }] },
    ]);
    const all = await zoomRegistrants(api).list('812');
    expect(all.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(sent.map((s) => s.query)).toEqual([
      { status: 'approved', page_size: 300, next_page_token: undefined },
      { status: 'approved', page_size: 300, next_page_token: 'p2' },
    ]);
    expect(sent[0]).toMatchObject({
      method: 'GET',
      path: '/meetings/{meetingId}/registrants',
      category: 'medium',
    });
  });

  it.each([
    ['Ana García', { first_name: 'Ana', last_name: 'García' }],
    ['Ana María de la Cruz', { first_name: 'Ana María de la', last_name: 'Cruz' }],
    ['Prince', { first_name: 'Prince', last_name: '' }],
    ['   ', { first_name: 'Student', last_name: '' }],
    ['x'.repeat(80), { first_name: 'x'.repeat(64), last_name: '' }],
  ])('names %j as Zoom takes them', (name, expected) => {
    expect(registrantNames(name)).toEqual(expected);
  });
});
