import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Job } from '../../job.js';
import type { Authorize, JobAction } from '../authorize.js';
import { createJobHandlers } from '../create-job-handlers.js';
import { createHarness, submission } from './harness.js';

const UNKNOWN = '6d1f1a52-0000-4000-8000-000000000000';

/** Every route, as [method, path, body?]. */
const routes = (job: Job): [string, string, unknown?][] => [
  ['POST', '/jobs', submission()],
  ['GET', '/jobs'],
  ['GET', `/jobs/${job.id}`],
  ['GET', `/jobs/${job.id}/items`],
  ['GET', `/jobs/${job.id}/logs`],
  ['POST', `/jobs/${job.id}/cancel`],
  ['POST', `/jobs/${job.id}/retry`],
  ['GET', `/jobs/${job.id}/events`],
  ['GET', `/jobs/${UNKNOWN}`],
  ['GET', '/jobs/not-a-uuid/events'],
];

let harness: ReturnType<typeof createHarness> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A harness whose authorize can be swapped after the fixture job was started. */
function setup() {
  let current: Authorize = () => ({ allow: true, userId: 'alice' });
  const h = createHarness({ autoRun: false, authorize: (...args: Parameters<Authorize>) => current(...args), onError: () => undefined });
  harness = h;
  return { h, setAuthorize: (a: Authorize) => (current = a) };
}

describe('authorize', () => {
  it('is required: no callback, no handlers', () => {
    const { runner } = setup().h;
    expect(() => createJobHandlers({ runner } as never)).toThrow(TypeError);
    expect(() => createJobHandlers({ runner, authorize: true } as never)).toThrow(/authorize/);
  });

  const denials: [string, Authorize, number, string][] = [
    ['false', () => false, 403, 'forbidden'],
    ['{ allow: false }', () => ({ allow: false }), 403, 'forbidden'],
    ['{ allow: false, status: 401 }', () => ({ allow: false, status: 401, message: 'Log in first.' }), 401, 'unauthorized'],
  ];
  it.each(denials)('%s -> %i on every route, events included, and nothing written', async (_, deny, status, code) => {
    const { h, setAuthorize } = setup();
    const job = await h.start();
    setAuthorize(deny);
    for (const [method, path, body] of routes(job)) {
      const response = await h.call(method, path, body === undefined ? {} : { body });
      expect(response.status, `${method} ${path}`).toBe(status);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    expect(await h.jobCount()).toBe(1);
    expect((await h.store.getJob(job.id))?.status).toBe('pending');
  });

  it('a throwing authorize is a 500 with a generic message, reported to onError', async () => {
    const onError = vi.fn();
    const h = createHarness({ autoRun: false, onError, authorize: () => { throw new Error('db down: secret detail'); } });
    harness = h;
    const response = await h.call('GET', '/jobs');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('secret detail');
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'internal_error' } });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'db down: secret detail' }));
  });

  it('an authorize that returns nonsense is a 500, not an allow', async () => {
    const h = createHarness({ autoRun: false, onError: () => undefined, authorize: (() => 'yes') as unknown as Authorize });
    harness = h;
    expect((await h.call('GET', '/jobs')).status).toBe(500);
  });

  it('gets the action, and the loaded job (or undefined) for per-job actions', async () => {
    const { h, setAuthorize } = setup();
    const job = await h.start();
    const calls: [JobAction, string | undefined][] = [];
    setAuthorize((_request, action, j) => {
      calls.push([action, j?.id]);
      return true;
    });
    await h.call('GET', '/jobs');
    await h.call('GET', `/jobs/${job.id}/logs`);
    await h.call('POST', `/jobs/${job.id}/cancel`);
    await h.call('GET', `/jobs/${UNKNOWN}`);
    expect(calls).toEqual([
      ['list', undefined],
      ['read', job.id],
      ['cancel', job.id],
      ['read', undefined],
    ]);
  });

  describe('per user', () => {
    /** The host's rule: x-user header is the user; admins see everything; others only their own jobs. */
    const byUser: Authorize = (request, action, job) => {
      const user = request.headers.get('x-user');
      if (user === null) return { allow: false, status: 401 };
      const admin = user === 'admin';
      if (job !== undefined && !admin && job.createdBy !== user) return { allow: false, status: 403, message: 'Not your job.' };
      return { allow: true, userId: user, admin };
    };
    const as = (user: string) => ({ headers: { 'x-user': user } });

    async function twoUsers() {
      const { h, setAuthorize } = setup();
      setAuthorize(byUser);
      const start = async (user: string) => {
        const response = await h.call('POST', '/jobs', { body: submission(), ...as(user) });
        return ((await response.json()) as { job: Job }).job;
      };
      return { h, alices: await start('alice'), bobs: await start('bob') };
    }

    it('records the user as createdBy', async () => {
      const { alices, bobs } = await twoUsers();
      expect([alices.createdBy, bobs.createdBy]).toEqual(['alice', 'bob']);
    });

    it("a user cannot read, cancel, retry or watch another user's job", async () => {
      const { h, alices } = await twoUsers();
      for (const [method, path] of [
        ['GET', `/jobs/${alices.id}`],
        ['GET', `/jobs/${alices.id}/items`],
        ['GET', `/jobs/${alices.id}/logs`],
        ['POST', `/jobs/${alices.id}/cancel`],
        ['POST', `/jobs/${alices.id}/retry`],
        ['GET', `/jobs/${alices.id}/events`],
      ] as const) {
        const response = await h.call(method, path, as('bob'));
        expect(response.status, `${method} ${path}`).toBe(403);
      }
      expect((await h.store.getJob(alices.id))?.status).toBe('pending');
      expect((await h.call('GET', `/jobs/${alices.id}`, as('alice'))).status).toBe(200);
    });

    it('a user lists only their own jobs, whatever createdBy they ask for; an admin lists all', async () => {
      const { h, bobs } = await twoUsers();
      const list = async (user: string, query = '') =>
        (await (await h.call('GET', `/jobs${query}`, as(user))).json()) as { jobs: Job[]; counts: Record<string, number> };
      const bobsView = await list('bob', '?createdBy=alice');
      expect(bobsView.jobs.map((j) => j.id)).toEqual([bobs.id]);
      expect(bobsView.counts.pending).toBe(1);
      const adminView = await list('admin');
      expect(adminView.jobs).toHaveLength(2);
      expect(adminView.counts.pending).toBe(2);
      expect((await list('admin', '?createdBy=alice')).jobs.map((j) => j.createdBy)).toEqual(['alice']);
    });
  });
});
