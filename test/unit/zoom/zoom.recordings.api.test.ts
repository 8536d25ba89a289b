import type { ZoomAccountApi, ZoomRequestSpec } from '../../../src/zoom/zoom.client';
import { zoomRecordings } from '../../../src/zoom/zoom.recordings.api';

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

describe('Zoom recordings sharing', () => {
  it('turns sharing off with a new passcode: PATCH /meetings/{uuid}/recordings/settings (Light, safe to repeat)', async () => {
    const { api, sent } = fakeApi([undefined]);
    await zoomRecordings(api).updateSharing('abc==', { share_recording: 'none', password: 'Xy12345678' });
    expect(sent[0]).toMatchObject({
      method: 'PATCH',
      path: '/meetings/{meetingId}/recordings/settings',
      pathParams: { meetingId: 'abc==' },
      body: { share_recording: 'none', password: 'Xy12345678' },
      category: 'light',
      idempotent: true,
    });
  });

  it.each([
    ['/starts-with-slash==', encodeURIComponent('/starts-with-slash==')],
    ['has//two==', encodeURIComponent('has//two==')],
    ['plain+uuid==', 'plain+uuid=='],
  ])(
    'addresses instance %s as Zoom wants it (encoded once more when it starts with / or holds //)',
    async (uuid, value) => {
      const { api, sent } = fakeApi([{ uuid, id: 812, share_url: 'https://zoom.example/rec/share/x' }]);
      await zoomRecordings(api).recording(uuid);
      expect(sent[0]?.pathParams).toEqual({ meetingId: value });
    },
  );

  it('reads the current share link and play passcode of an instance', async () => {
    const { api } = fakeApi([
      {
        uuid: 'u1',
        id: 812,
        share_url: 'https://zoom.example/rec/share/x',
        recording_play_passcode: 'newplay',
        password: 'Xy12345678',
      },
    ]);
    expect(await zoomRecordings(api).recording('u1')).toMatchObject({
      share_url: 'https://zoom.example/rec/share/x',
      recording_play_passcode: 'newplay',
    });
  });
});
