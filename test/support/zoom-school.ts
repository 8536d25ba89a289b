import type { Browser } from 'playwright-core';
import type { LmsEmulator } from '../../src/sandbox/lms';
import { createZoomSimulator, type ZoomSimulator } from '../../src/sandbox/zoom';
import { launchChromium } from './browser';
import { startRegisteredLms } from './lms';
import { freePort } from './process';
import { startToolServer, type ToolServer } from './tool-server';

/** A school in a browser: the Zoom simulator with our Marketplace app, the tool, a Moodle, Chromium. */
export interface BrowserZoomSchool {
  browser: Browser;
  tool: ToolServer;
  zoom: ZoomSimulator;
  lms: LmsEmulator;
  close(): Promise<void>;
}

export async function startBrowserZoomSchool(): Promise<BrowserZoomSchool> {
  const zoom = createZoomSimulator();
  await zoom.start();
  const port = await freePort();
  const toolUrl = `http://localhost:${port}`;
  const app = await zoom.createApp({ kind: 'oauth', redirect_uri: `${toolUrl}/zoom/oauth/callback` });
  const tool = await startToolServer({
    port,
    env: {
      ZOOM_CLIENT_ID: app.client_id,
      ZOOM_CLIENT_SECRET: app.client_secret,
      ZOOM_OAUTH_URL: zoom.baseUrl,
      ZOOM_API_URL: `${zoom.baseUrl}/v2`,
    },
  });
  const lms = await startRegisteredLms(tool.built.tenants, {
    profile: 'moodle',
    toolUrl: tool.url,
    school: 'Browser school',
  });
  const browser = await launchChromium();
  return {
    browser,
    tool,
    zoom,
    lms,
    async close() {
      await browser.close();
      await lms.stop();
      await tool.close();
      await zoom.stop();
    },
  };
}
