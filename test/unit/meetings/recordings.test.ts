import { recordingLink } from '../../../src/meetings/meetings.recordings';

/**
 * Issue 17, item 20 (c): the link kept for students opens the recording. With Zoom's "Require
 * passcode to access shared cloud recordings" on, `share_url` alone asks for a passcode students
 * were never told; Zoom's `recording_play_passcode` embedded as `?pwd=` opens it directly.
 */
describe('the recording link kept for students', () => {
  const share = 'https://zoom.us/rec/share/4cEUzW1Hn0lA3VZ9x0rIpwZfy3aGz0T';
  const play = 'yNYIS408EJygs7rE5vVsJwXIz4-VW7MH';

  const table: Array<[string, Record<string, unknown>, string | undefined]> = [
    ['no passcode: share_url as Zoom gave it', { share_url: share }, share],
    [
      'a passcode: share_url with the play passcode embedded',
      { share_url: share, password: 'x7#Kp2', recording_play_passcode: play },
      `${share}?pwd=${play}`,
    ],
    [
      'a share_url that already has a query keeps it',
      { share_url: `${share}?startTime=1`, recording_play_passcode: play },
      `${share}?startTime=1&pwd=${play}`,
    ],
    [
      'no share_url: the first file’s play_url, with the passcode',
      { recording_files: [{}, { play_url: 'https://zoom.us/rec/play/abc' }], recording_play_passcode: play },
      `https://zoom.us/rec/play/abc?pwd=${play}`,
    ],
    ['no link at all: nothing', { recording_files: [] }, undefined],
    ['a link that is not http(s): nothing', { share_url: 'javascript:alert(1)' }, undefined],
    ['not a link: nothing', { share_url: 'not a url' }, undefined],
  ];

  it.each(table)('%s', (_name, object, expected) => {
    expect(recordingLink(object)).toBe(expected);
  });
});
