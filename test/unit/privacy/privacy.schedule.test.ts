import { retentionChangeOf } from '../../../src/admin/admin.schema';
import { nextPurgeAt } from '../../../src/privacy';
import { retentionChange } from '../../../src/privacy/privacy.schema';

describe('the daily purge’s time', () => {
  it.each([
    ['2031-05-01T00:00:00Z', '2031-05-01T03:00:00.000Z'],
    ['2031-05-01T02:59:59Z', '2031-05-01T03:00:00.000Z'],
    ['2031-05-01T03:00:00Z', '2031-05-02T03:00:00.000Z'],
    ['2031-12-31T23:00:00Z', '2032-01-01T03:00:00.000Z'],
  ])('after %s is %s', (now, next) => {
    expect(new Date(nextPurgeAt(Date.parse(now))).toISOString()).toBe(next);
  });
});

describe('a retention change', () => {
  it.each([
    [{}, true],
    [{ meetings: '30' }, true],
    [{ attendance: 36_500, keep: ['logs'] }, true],
    [{ attendance: 36_501 }, false],
    [{ logs: 1.5 }, false],
    [{ logs: -1 }, false],
    [{ keep: ['everything'] }, false],
    [{ meetings: 5, keep: ['meetings'] }, false],
  ])('%j is accepted: %s', (input, ok) => {
    expect(retentionChange.safeParse(input).success).toBe(ok);
  });

  it('from the console form: a number sets the days, an empty field keeps that kind', () => {
    expect(retentionChangeOf({ meetings: '', attendance: '30', logs: '' })).toEqual({
      attendance: '30',
      keep: ['meetings', 'logs'],
    });
  });
});
