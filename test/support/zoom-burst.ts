/* eslint-disable no-console */
/**
 * One OS process of the token-storm test: builds the tool's services on the shared PostgreSQL and
 * fires CALLS concurrent Zoom calls for one connection at START_AT, then prints a JSON summary.
 */
import { servicesFromEnv, untilStart } from './child-services';

async function main(): Promise<void> {
  const { services, close } = await servicesFromEnv();
  const api = services.zoom.client.forConnection({
    id: String(process.env.CONNECTION_ID),
    schoolId: String(process.env.SCHOOL_ID),
    zoomAccountId: String(process.env.ZOOM_ACCOUNT),
    plan: 'business',
  });
  const calls = Number(process.env.CALLS);
  await untilStart();
  const results = await Promise.allSettled(
    Array.from({ length: calls }, () => api.getUser(String(process.env.LOOKUP_USER))),
  );
  const failures = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  console.log(
    JSON.stringify({
      ok: results.length - failures.length,
      failed: failures.length,
      errors: [...new Set(failures.map((failure) => String((failure.reason as Error).message)))].slice(0, 5),
    }),
  );
  await close();
}

main().catch((error: unknown) => {
  console.log(JSON.stringify({ ok: 0, failed: -1, errors: [String((error as Error).stack ?? error)] }));
  process.exit(1);
});
