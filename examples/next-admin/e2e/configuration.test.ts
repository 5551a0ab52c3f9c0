import { afterEach, describe, expect, it } from 'vitest';
import { startNextServer, type NextServer } from './next-server';

let server: NextServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('configuration from the environment', () => {
  it('with a Gemini key: only the store is simulated, and the demo settings are refused', async () => {
    // The key is never used: no job runs in this test, and the app makes no call at start.
    server = await startNextServer({ GEMINI_API_KEY: 'not-a-real-key', GEMINI_MODEL: 'gemini-flash-latest' });
    const page = await (await fetch(`${server.url}/submissions`)).text();
    expect(page).toContain('demo mode: in-memory store');
    expect(page).not.toContain('simulated model');

    const refused = await fetch(`${server.url}/api/demo/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ faultRate: 0.5 }),
    });
    expect(refused.status).toBe(403);
    await expect(refused.json()).resolves.toMatchObject({ error: { code: 'not_demo_mode' } });
  });

  it('a bad variable is named in the error', async () => {
    server = await startNextServer({ REVIEW_JOBS_CONCURRENCY: 'lots' });
    expect((await fetch(`${server.url}/api/review-jobs/jobs`)).status).toBe(500);
    expect(server.output()).toContain('REVIEW_JOBS_CONCURRENCY must be an integer from 1 to 1000, got "lots"');
  });

  it('in demo mode, the settings route checks its input', async () => {
    server = await startNextServer();
    const bad = await fetch(`${server.url}/api/demo/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ faultRate: 2 }),
    });
    expect(bad.status).toBe(400);
    await expect(bad.json()).resolves.toMatchObject({ error: { fieldErrors: { faultRate: ['must be a number from 0 to 1'] } } });
  });
});
