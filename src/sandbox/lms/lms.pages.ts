import type { LmsProfile } from './lms.profiles';
import type { LmsCourse, LmsGradebook, LmsUser } from './lms.types';

/** The emulator's HTML: auto-posted forms, the course page that frames the tool, short notices. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function page(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; color: #1d2125; }
  header { background: #0f6cbf; color: #fff; padding: 0.75rem 1.5rem; }
  header.canvas { background: #2d3b45; }
  main { padding: 1rem 1.5rem; }
  nav a { margin-right: 1rem; }
  .notice { border-left: 4px solid #0f6cbf; background: #e7f1fb; padding: 0.25rem 1rem; margin-bottom: 1rem; }
  table { border-collapse: collapse; }
  caption { text-align: left; font-weight: bold; padding: 0.5rem 0; }
  th, td { border: 1px solid #dee2e6; padding: 0.25rem 0.75rem; text-align: left; }
  td.grade { text-align: right; font-variant-numeric: tabular-nums; }
  .table-scroll { overflow-x: auto; max-width: 100%; }
  .tool-frame { display: block; width: 100%; height: 75vh; min-height: 480px; border: 1px solid #dee2e6; }
</style>
${head}
</head>
<body>
${body}
</body>
</html>
`;
}

/** A form that posts itself on load (how LMSs send login initiations and id tokens). */
export function autoPostPage(title: string, action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `  <input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return page(
    title,
    `<form id="lti-auto-post" method="post" action="${escapeHtml(action)}">
${inputs}
  <noscript><p>JavaScript is off: press the button to continue.</p><button type="submit">Continue</button></noscript>
</form>
<script>document.getElementById('lti-auto-post').submit();</script>`,
  );
}

export function noticePage(title: string, lines: string[], status?: { error: string }): string {
  const items = lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n');
  const code = status ? `<p>Error code: <code>${escapeHtml(status.error)}</code></p>` : '';
  return page(title, `<main>\n<h1>${escapeHtml(title)}</h1>\n${items}\n${code}\n</main>`);
}

export interface CoursePageModel {
  profile: LmsProfile;
  course: LmsCourse;
  user: LmsUser;
  iframeSrc: string;
  /**
   * The frame delegates clipboard-write to the tool, as Canvas and Moodle 4 do (default); false
   * frames it as an LMS that does not, where the browser refuses the tool's clipboard writes.
   */
  frameAllowsClipboard?: boolean;
  /** Where the tool lives (for Canvas's platform storage: only messages from it are answered). */
  toolOrigin: string;
  /** Links to the same page as every other user, and to the deep-linking (add activity) flow. */
  viewAs: { label: string; href: string }[];
  deepLinkingHref: string;
  /** The course's gradebook, shown to instructors and admins only. */
  gradebookHref?: string;
  /** Next term: copies the course into a new one (instructors and admins only). */
  copyAction?: string;
  /** The links created from the content picker, to launch each (the one being shown is current). */
  activities: { label: string; href: string; current: boolean }[];
  /** What the closed content picker did, shown once (Moodle's notification, Canvas's flash message). */
  notice?: { title: string; lines: string[]; links: { label: string; href: string }[] };
}

/**
 * Canvas answers the 1EdTech platform-storage messages (`lti_storage_target=_parent`) from the
 * page that frames the tool: lti.capabilities, lti.put_data, lti.get_data, per tool origin.
 */
function platformStorageScript(toolOrigin: string): string {
  return `<script>
(function () {
  var toolOrigin = ${JSON.stringify(toolOrigin).replace(/</g, '\\u003c')};
  var store = {};
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || typeof data !== 'object' || typeof data.subject !== 'string') return;
    if (event.origin !== toolOrigin || !event.source) return;
    var reply = { subject: data.subject + '.response', message_id: data.message_id };
    if (data.subject === 'lti.capabilities') {
      reply.supported_messages = [
        { subject: 'lti.capabilities' }, { subject: 'lti.put_data' }, { subject: 'lti.get_data' }
      ];
    } else if (data.subject === 'lti.put_data') {
      store[data.key] = data.value;
      reply.key = data.key; reply.value = data.value;
    } else if (data.subject === 'lti.get_data') {
      reply.key = data.key; reply.value = store[data.key];
    } else {
      reply.error = { code: 'unsupported_subject', message: 'Not supported: ' + data.subject };
    }
    event.source.postMessage(reply, event.origin);
  });
})();
</script>`;
}

export function coursePage(model: CoursePageModel): string {
  const { profile, course, user } = model;
  const allow = `camera; microphone; fullscreen; display-capture${model.frameAllowsClipboard === false ? '' : '; clipboard-write *'}`;
  const title = `Emulated ${profile.productName} course: ${course.title}`;
  const headerClass = profile.name === 'canvas' ? ' class="canvas"' : '';
  const viewAs = model.viewAs.map(
    (link) => `<a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a>`,
  );
  const activities = model.activities.length
    ? `<section aria-labelledby="activities-heading"><h2 id="activities-heading">Activities</h2><ul>${model.activities
        .map(
          (a) =>
            `<li><a href="${escapeHtml(a.href)}"${a.current ? ' aria-current="page"' : ''}>${escapeHtml(a.label)}</a></li>`,
        )
        .join('')}</ul></section>`
    : '';
  const notice = model.notice
    ? `<section class="notice" role="status" aria-labelledby="notice-heading"><h2 id="notice-heading">${escapeHtml(
        model.notice.title,
      )}</h2>${model.notice.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}${model.notice.links
        .map((link) => `<p><a href="${escapeHtml(link.href)}">Open ${escapeHtml(link.label)}</a></p>`)
        .join('')}</section>`
    : '';
  const body = `<header${headerClass}>
  <strong>${escapeHtml(title)}</strong> (${escapeHtml(course.label)}), signed in as ${escapeHtml(user.name)}
</header>
<main>
  <nav aria-label="View as">View as: ${viewAs.join(' ')}
    <a href="${escapeHtml(model.deepLinkingHref)}">Add Zoom to the course (deep linking)</a>${
      model.gradebookHref ? `\n    <a href="${escapeHtml(model.gradebookHref)}">Grades</a>` : ''
    }</nav>${
      model.copyAction
        ? `\n  <form method="post" action="${escapeHtml(model.copyAction)}"><button type="submit">${
            profile.name === 'canvas' ? 'Copy this course' : 'Copy course (restore as a new course)'
          }</button></form>`
        : ''
    }
  ${notice}
  <h1>${escapeHtml(course.title)}</h1>
  ${activities}
  <iframe class="tool-frame" title="Zoom class meetings" name="tool_content" src="${escapeHtml(model.iframeSrc)}"
    width="100%" height="720" allow="${allow}" allowfullscreen></iframe>
</main>`;
  const head = profile.name === 'canvas' ? platformStorageScript(model.toolOrigin) : '';
  return page(title, body, head);
}

/**
 * The deep-linking return, in the picker's frame: the LMS closes its picker and shows the course
 * page (where the notice waits). Without JavaScript, a link back to the course.
 */
export function pickerClosedPage(notice: { title: string; lines: string[] }, courseHref: string): string {
  const lines = notice.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n');
  return page(
    notice.title,
    `<main>
<h1>${escapeHtml(notice.title)}</h1>
${lines}
<p><a id="back-to-course" href="${escapeHtml(courseHref)}" target="_top">Back to the course</a></p>
</main>
<script>window.top.location.href = document.getElementById('back-to-course').href;</script>`,
  );
}

/**
 * The admin's page that opens a tool's registration URL (Moodle: Manage tools, "Add LTI
 * Advantage"; Canvas: Developer Keys, "+ LTI Registration"): the registration in a frame, closed
 * when the tool posts `org.imsglobal.lti.close`, as both LMSs do.
 */
export function toolRegistrationPage(profile: LmsProfile, frameSrc: string): string {
  const title = `Emulated ${profile.productName}: register a tool`;
  const body = `<main>
  <h1>${escapeHtml(title)}</h1>
  <p id="registration-status" role="status">Registering the tool…</p>
  <iframe class="tool-frame" title="Tool registration" src="${escapeHtml(frameSrc)}" width="100%" height="480"></iframe>
</main>`;
  const head = `<script>
window.addEventListener('message', function (event) {
  if (!event.data || event.data.subject !== 'org.imsglobal.lti.close') return;
  document.body.dataset.registration = 'closed';
  var frame = document.querySelector('iframe');
  if (frame) frame.remove();
  document.getElementById('registration-status').textContent = 'The tool closed its registration page.';
});
</script>`;
  return page(title, body, head);
}

export interface GradebookPageModel {
  profile: LmsProfile;
  gradebook: LmsGradebook;
  user: LmsUser;
  courseHref: string;
}

function formatGrade(grade: number): string {
  return Number.isInteger(grade) ? String(grade) : grade.toFixed(2);
}

/**
 * The course's gradebook (Moodle: Grader report; Canvas: Gradebook): a column per line item, a row
 * per student, each cell the grade the LMS keeps (scaled to the column's maximum).
 */
export function gradebookPage(model: GradebookPageModel): string {
  const { profile, gradebook, user } = model;
  const { course, lineItems, students, scores } = gradebook;
  const title = `Emulated ${profile.productName} gradebook: ${course.title}`;
  const headerClass = profile.name === 'canvas' ? ' class="canvas"' : '';
  const head = lineItems
    .map(
      (item) =>
        `<th scope="col" data-line-item-id="${escapeHtml(item.id)}">${escapeHtml(item.label)} <span>(out of ${formatGrade(item.scoreMaximum)})</span></th>`,
    )
    .join('');
  const rows = students
    .map((student) => {
      const cells = lineItems
        .map((item) => {
          const score = scores.find((s) => s.lineItemId === item.id && s.userId === student.id);
          const text =
            score?.grade !== undefined
              ? formatGrade(score.grade)
              : score
                ? score.gradingProgress
                : 'No grade';
          return `<td class="grade" data-line-item-id="${escapeHtml(item.id)}">${escapeHtml(text)}</td>`;
        })
        .join('');
      return `<tr data-user-id="${escapeHtml(student.id)}"><th scope="row">${escapeHtml(student.name)}</th>${cells}</tr>`;
    })
    .join('\n');
  const table = lineItems.length
    ? `<div class="table-scroll" role="region" aria-labelledby="grades-caption" tabindex="0">
<table>
<caption id="grades-caption">Grades in ${escapeHtml(course.title)}</caption>
<thead><tr><th scope="col">Student</th>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
</div>`
    : '<p>No grade columns yet: a tool adds them through LTI Assignment and Grade Services.</p>';
  const body = `<header${headerClass}>
  <strong>${escapeHtml(title)}</strong> (${escapeHtml(course.label)}), signed in as ${escapeHtml(user.name)}
</header>
<main>
  <nav aria-label="Course"><a href="${escapeHtml(model.courseHref)}">Back to the course</a></nav>
  <h1>Grades</h1>
  ${table}
</main>`;
  return page(title, body);
}
