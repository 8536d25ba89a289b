import { LoginLimiter } from '../../../src/admin/admin.limiter';
import type { Db } from '../../../src/storage';

describe('the console sign-in limiter', () => {
  afterEach(() => jest.useRealTimers());

  it('starts no clean-up timer of its own: it would outlive a closed database (the periodic purge removes spent counts)', () => {
    jest.useFakeTimers();
    new LoginLimiter({} as Db);
    expect(jest.getTimerCount()).toBe(0);
  });
});
