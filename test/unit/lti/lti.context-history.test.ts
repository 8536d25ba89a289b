import {
  CANVAS_HISTORY_CUSTOM,
  CONTEXT_HISTORY_CUSTOM,
  contextHistory,
} from '../../../src/lti/lti.context-history';
import { canvasConfiguration } from '../../../src/lti';
import { clientRegistration } from '../../../src/lti/lti.registration';

describe('a course’s copy history from the launch’s custom parameters', () => {
  it.each([
    ['no custom parameters', {}, []],
    ['an empty history (a course nobody copied)', { context_id_history: '' }, []],
    [
      'the variable sent unsubstituted (an LMS that does not know it)',
      { context_id_history: '$Context.id.history' },
      [],
    ],
    ['one earlier course', { context_id_history: '2' }, ['2']],
    [
      'most recent first, spaces and empty entries dropped',
      { context_id_history: ' 7, ,3 ,2,' },
      ['7', '3', '2'],
    ],
    ['a repeat kept once, where it first appears', { context_id_history: '7,3,7' }, ['7', '3']],
    ['an id longer than LTI allows is ignored', { context_id_history: `${'x'.repeat(256)},4` }, ['4']],
    [
      'Canvas: the history, then what previousContextIds.recursive adds',
      { context_id_history: 'a1', canvas_previous_context_ids: 'a1,b2' },
      ['a1', 'b2'],
    ],
    [
      'Canvas: its copy variable alone when the history is unsubstituted',
      { context_id_history: '$Context.id.history', canvas_previous_context_ids: 'b2' },
      ['b2'],
    ],
    [
      'Canvas: both unsubstituted',
      {
        context_id_history: '$Context.id.history',
        canvas_previous_context_ids: '$Canvas.course.previousContextIds.recursive',
      },
      [],
    ],
  ])('%s', (_name, custom, expected) => {
    expect(contextHistory(custom as Record<string, string>)).toEqual(expected);
  });

  it('never names the course itself', () => {
    expect(contextHistory({ context_id_history: '5,2' }, '5')).toEqual(['2']);
  });

  it('stops at 1000 ids (Canvas’s own cap)', () => {
    const ids = Array.from({ length: 1200 }, (_, i) => String(i + 1));
    expect(contextHistory({ context_id_history: ids.join(',') })).toHaveLength(1000);
  });

  it('is asked of Canvas (canvas.json and dynamic registration) and of Moodle (dynamic registration)', () => {
    expect(canvasConfiguration('https://tool.example').custom_fields).toMatchObject(CANVAS_HISTORY_CUSTOM);
    const tool = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
    expect(clientRegistration('https://tool.example', 'canvas')[tool].custom_parameters).toMatchObject(
      CANVAS_HISTORY_CUSTOM,
    );
    expect(clientRegistration('https://tool.example', 'moodle')[tool].custom_parameters).toEqual(
      CONTEXT_HISTORY_CUSTOM,
    );
  });
});
