import { OUTCOMES, outcomeMessage } from '../../../src/provisioning/provisioning.outcomes';
import { translatorFor } from '../../../src/shared/i18n';

describe('what a page says about a provisioning outcome', () => {
  it.each(OUTCOMES.map((outcome) => [outcome]))(
    '%s has a title and a detail in English and in Spanish',
    (outcome) => {
      for (const locale of ['en', 'es-MX']) {
        const message = outcomeMessage(outcome, { email: 'ana@school.edu' }, translatorFor(locale));
        expect(message.title).not.toMatch(/^outcomes\./);
        expect(message.detail).not.toMatch(/^outcomes\./);
      }
      expect(outcomeMessage(outcome, {}, translatorFor('es')).title).not.toBe(
        outcomeMessage(outcome, {}).title,
      );
    },
  );

  it('names the person’s email, in their language', () => {
    expect(outcomeMessage('pending', { email: 'ana@school.edu' }, translatorFor('es')).detail).toBe(
      'La cuenta de Zoom de tu institución invitó a ana@school.edu. Zoom envió un correo de activación a esa dirección.',
    );
  });

  it('tells a Canvas school and a Moodle school where their email setting is', () => {
    expect(outcomeMessage('email_missing', { platform: 'canvas' }).nextStep).toMatch(/Canvas administrator/);
    expect(outcomeMessage('email_missing', { platform: 'moodle' }).nextStep).toMatch(/Moodle administrator/);
  });

  it('has no next step when there is nothing to do (not the catalog key)', () => {
    expect(outcomeMessage('active', { email: 'a@b.edu' }).nextStep).toBe('');
    expect(outcomeMessage('active', { email: 'a@b.edu' }, translatorFor('es')).nextStep).toBe('');
  });
});
