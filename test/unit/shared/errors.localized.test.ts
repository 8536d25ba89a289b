import { errors } from '../../../src/shared/errors';

/**
 * A localized error keeps its words in the catalogs; its English text is also its message, which
 * the error handler logs: filled with its values, never the catalog's `{{…}}` template.
 */
describe('localized errors', () => {
  it('carry their values in the English message and detail the log records', () => {
    const error = errors.meetingRefused({ message: 'Invalid field.' });

    expect(error.detail).toBe('Zoom said: Invalid field.');
    expect(error.message).toBe('meeting_refused: Zoom said: Invalid field.');
    expect(error.params).toEqual({ message: 'Invalid field.' });
  });

  it('leave a slot without a value as it is', () => {
    expect(errors.meetingDailyLimit({}).nextStep).toContain('{{reset}}');
    expect(errors.meetingDailyLimit({ reset: 'tonight' }).nextStep).toBe(
      'Try again after tonight, when Zoom starts counting again.',
    );
  });
});
