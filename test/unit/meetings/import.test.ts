import { meetingIdFrom } from '../../../src/meetings/meetings.import';

/** What an instructor may paste to name one of their Zoom meetings, and what is no meeting. */
describe('the meeting ID in what was pasted', () => {
  it.each([
    ['12345678901', '12345678901'],
    ['123456789', '123456789'],
    [' 123 4567 8901 ', '12345678901'],
    ['123-4567-8901', '12345678901'],
    ['https://school.zoom.us/j/12345678901', '12345678901'],
    ['https://us02web.zoom.us/j/12345678901?pwd=abcDEF.1', '12345678901'],
    ['https://zoom.us/w/12345678901?tk=x', '12345678901'],
    ['https://zoom.us/wc/join/12345678901', '12345678901'],
    ['http://127.0.0.1:4010/j/98765432101?pwd=xyz', '98765432101'],
  ])('%s names meeting %s', (pasted, id) => {
    expect(meetingIdFrom(pasted)).toBe(id);
  });

  it.each([
    [''],
    ['hello'],
    ['12345678'],
    ['123456789012'],
    ['12 34'],
    ['https://school.zoom.us/j/abc'],
    ['https://school.zoom.us/my/teacher'],
    ['https://school.zoom.us/j/12345678901/extra'],
    ['javascript:alert(1)//12345678901'],
    ['ftp://zoom.us/j/12345678901'],
    ['zoom.us/j/12345678901'],
  ])('%j names no meeting', (pasted) => {
    expect(meetingIdFrom(pasted)).toBeUndefined();
  });
});
