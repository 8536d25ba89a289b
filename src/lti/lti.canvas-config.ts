import express, { type Router } from 'express';
import { TOOL_SCOPES } from './lti.scopes';
import { CANVAS_HISTORY_CUSTOM } from './lti.context-history';
import { CANVAS_SECTIONS_CUSTOM } from './lti.sections';

/**
 * The JSON configuration Canvas reads when an admin creates an LTI developer key "by URL"
 * (Admin › Developer Keys › + Developer Key › + LTI Key › Method: Enter URL). Canvas then shows the
 * key's client id, which the operator registers with `platform add` (README, "Register in Canvas").
 */
export interface CanvasToolConfiguration {
  title: string;
  description: string;
  oidc_initiation_url: string;
  target_link_uri: string;
  public_jwk_url: string;
  scopes: string[];
  custom_fields: Record<string, string>;
  extensions: Array<{
    platform: 'canvas.instructure.com';
    domain: string;
    tool_id: string;
    privacy_level: 'public';
    settings: {
      text: string;
      placements: Array<{
        placement: 'course_navigation' | 'link_selection';
        message_type: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
        target_link_uri: string;
        text: string;
        default?: 'enabled' | 'disabled';
      }>;
    };
  }>;
}

export function canvasConfiguration(publicUrl: string): CanvasToolConfiguration {
  const launchUrl = `${publicUrl}/lti/launch`;
  return {
    title: 'Zoom for your course',
    description:
      'Class meetings on Zoom: instructors schedule them from the course, students join with one click.',
    oidc_initiation_url: `${publicUrl}/lti/login`,
    target_link_uri: launchUrl,
    public_jwk_url: `${publicUrl}/lti/keys`,
    // Names and Roles (the course's members) and Assignment and Grade Services (attendance grades):
    // lti.scopes says what each is for. The admin may turn any off; the tool then does without it.
    scopes: [...TOOL_SCOPES],
    // `meeting_id` is set per link by the content picker; the course's copy history (next term)
    // is asked of every launch (lti.context-history.ts).
    // The launching person's sections (lti.sections.ts): meetings meant for some sections only.
    custom_fields: { ...CANVAS_HISTORY_CUSTOM, ...CANVAS_SECTIONS_CUSTOM },
    extensions: [
      {
        platform: 'canvas.instructure.com',
        domain: new URL(publicUrl).host,
        tool_id: 'zoom-lti',
        // Name and email reach the tool only at `public` (or `email_only`): instructors need both.
        privacy_level: 'public',
        settings: {
          text: 'Zoom',
          placements: [
            {
              placement: 'course_navigation',
              message_type: 'LtiResourceLinkRequest',
              target_link_uri: launchUrl,
              text: 'Zoom',
              default: 'enabled',
            },
            {
              placement: 'link_selection',
              message_type: 'LtiDeepLinkingRequest',
              target_link_uri: launchUrl,
              text: 'Zoom class meeting',
            },
          ],
        },
      },
    ],
  };
}

/** `GET /canvas.json` (mounted under `/lti`): public, no launch needed. */
export function canvasConfigurationRoutes(publicUrl: string): Router {
  const router = express.Router();
  const body = canvasConfiguration(publicUrl);
  router.get('/canvas.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(body);
  });
  return router;
}
