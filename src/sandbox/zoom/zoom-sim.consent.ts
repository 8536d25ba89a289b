import { appName, type SimApp } from './zoom-sim.state';

/** The server-rendered pages of the OAuth consent step: small, labelled, keyboard-usable. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A page of the simulator's own web (consent, recordings' share pages). */
export function page(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)} – Zoom (simulator)</title>`,
    '</head>',
    `<body><main>${body}</main></body>`,
    '</html>',
  ].join('\n');
}

/** What the admin typed, and why the simulator refused it: the consent form again, to retry. */
export interface ConsentRetry {
  email: string;
  title: string;
  detail: string;
  nextStep: string;
}

/**
 * Zoom's consent page: the app named as the Marketplace shows it, the scopes it asks for, and the
 * sign-in of an owner or admin. After a refused email it is shown again with the refusal and the
 * typed email, so the admin can correct it.
 */
export function consentPage(
  app: SimApp,
  queryString: string,
  retry?: ConsentRetry,
  signedIn: string[] = [],
): string {
  const scopes = app.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('');
  const described = retry ? 'email-error email-help' : 'email-help';
  const action = `/oauth/authorize?${escapeHtml(queryString)}`;
  // The sandbox's browser is signed in to Zoom: one button per account owner, as real Zoom offers the
  // signed-in user.
  const signIns = signedIn.length
    ? [
        '<section aria-labelledby="signed-in-heading">',
        '<h2 id="signed-in-heading">Signed in to Zoom</h2>',
        `<form method="post" action="${action}"><input type="hidden" name="decision" value="approve">`,
        signedIn
          .map(
            (email) =>
              `<p><button type="submit" name="email" value="${escapeHtml(email)}">Continue as ${escapeHtml(email)}</button></p>`,
          )
          .join(''),
        '</form>',
        '<h2>Or sign in as someone else</h2>',
        '</section>',
      ].join('\n')
    : '';
  return page(
    retry ? `Error: ${retry.title}` : 'Authorize app',
    [
      '<h1>Authorize app</h1>',
      `<p>The app <strong>${escapeHtml(appName(app))}</strong> asks to access your school’s Zoom account with these permissions:</p>`,
      `<ul aria-label="Requested permissions">${scopes}</ul>`,
      '<p>An owner or admin of the Zoom account must authorize it; it then acts for the whole account.</p>',
      retry
        ? `<div id="email-error" role="alert"><p><strong>${escapeHtml(retry.title)}.</strong> ${escapeHtml(retry.detail)}</p><p>${escapeHtml(retry.nextStep)}</p></div>`
        : '',
      signIns,
      `<form method="post" action="${action}">`,
      '<p><label for="email">Email of a Zoom account owner or admin</label><br>',
      `<input id="email" name="email" type="email" autocomplete="email" required aria-describedby="${described}"${
        retry ? ` value="${escapeHtml(retry.email)}" aria-invalid="true" autofocus` : ''
      }>`,
      '<br><small id="email-help">The simulator signs you in as this Zoom user.</small></p>',
      '<p><button type="submit" name="decision" value="approve">Authorize</button> ',
      '<button type="submit" name="decision" value="decline" formnovalidate>Decline</button></p>',
      '</form>',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

export function refusalPage(title: string, detail: string, nextStep: string, code: number | null): string {
  return page(
    title,
    [
      `<h1>${escapeHtml(title)}</h1>`,
      `<p role="alert">${escapeHtml(detail)}${code === null ? '' : ` (error code ${code})`}</p>`,
      `<p>What to do next: ${escapeHtml(nextStep)}</p>`,
    ].join('\n'),
  );
}

export function startPage(meetingId: number, topic: string): string {
  return page(
    'Starting meeting',
    `<h1>Starting meeting</h1><p>Starting meeting ${meetingId}: ${escapeHtml(topic)}. You are the host.</p>`,
  );
}

export function joinPage(meetingId: number, topic: string): string {
  return page(
    'Join meeting',
    `<h1>Join meeting</h1><p>Joining meeting ${meetingId}: ${escapeHtml(topic)}.</p>`,
  );
}

export function expiredStartPage(): string {
  return refusalPage(
    'This link has expired',
    'This start link is no longer valid: start links expire two hours after they are issued.',
    'Go back to the course and press Start again to get a fresh link.',
    null,
  );
}
