import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../job.js';
import { createHarness, submission } from './harness.js';

type Harness = ReturnType<typeof createHarness>;

interface Case {
  name: string;
  method: string;
  path: string | ((job: Job) => string);
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  status: number;
  /** Named in the error message (the field, or the method / route). */
  names: string;
  allow?: string;
}

const s = (overrides: Record<string, unknown>) => submission(overrides);
const without = (field: string) => {
  const body: Record<string, unknown> = submission();
  delete body[field];
  return body;
};
const UNKNOWN = '6d1f1a52-0000-4000-8000-000000000000';
const job = (rest = '') => (j: Job) => `/jobs/${j.id}${rest}`;

const cases: Case[] = [
  // POST /jobs: the submission
  { name: 'empty object', method: 'POST', path: '/jobs', body: {}, status: 400, names: 'submissionId' },
  { name: 'missing count', method: 'POST', path: '/jobs', body: without('count'), status: 400, names: 'count' },
  { name: 'missing script', method: 'POST', path: '/jobs', body: without('script'), status: 400, names: 'script' },
  { name: 'missing placeName', method: 'POST', path: '/jobs', body: without('placeName'), status: 400, names: 'placeName' },
  { name: 'count 0', method: 'POST', path: '/jobs', body: s({ count: 0 }), status: 400, names: 'count' },
  { name: 'count -1', method: 'POST', path: '/jobs', body: s({ count: -1 }), status: 400, names: 'count' },
  { name: 'count 1e9', method: 'POST', path: '/jobs', body: s({ count: 1e9 }), status: 400, names: 'count' },
  { name: 'count "5"', method: 'POST', path: '/jobs', body: s({ count: '5' }), status: 400, names: 'count' },
  { name: 'count 1.5', method: 'POST', path: '/jobs', body: s({ count: 1.5 }), status: 400, names: 'count' },
  { name: 'count null', method: 'POST', path: '/jobs', body: s({ count: null }), status: 400, names: 'count' },
  { name: 'count true', method: 'POST', path: '/jobs', body: s({ count: true }), status: 400, names: 'count' },
  { name: 'count NaN (not JSON)', method: 'POST', path: '/jobs', raw: '{"submissionId":"a","placeName":"p","script":"s","count":NaN}', headers: { 'content-type': 'application/json' }, status: 400, names: 'body' },
  { name: 'placeName number', method: 'POST', path: '/jobs', body: s({ placeName: 123 }), status: 400, names: 'placeName' },
  { name: 'placeName empty', method: 'POST', path: '/jobs', body: s({ placeName: '' }), status: 400, names: 'placeName' },
  { name: 'placeName blank', method: 'POST', path: '/jobs', body: s({ placeName: '   ' }), status: 400, names: 'placeName' },
  { name: 'placeName 201 chars', method: 'POST', path: '/jobs', body: s({ placeName: 'x'.repeat(201) }), status: 400, names: 'placeName' },
  { name: 'script number', method: 'POST', path: '/jobs', body: s({ script: 5 }), status: 400, names: 'script' },
  { name: 'script 5001 chars', method: 'POST', path: '/jobs', body: s({ script: 'x'.repeat(5001) }), status: 400, names: 'script' },
  { name: 'script of 1 MB', method: 'POST', path: '/jobs', body: s({ script: 'x'.repeat(1024 * 1024) }), status: 413, names: 'body' },
  { name: '<script> 1 MB raw, chunked', method: 'POST', path: '/jobs', raw: `{"script":"${'<script>'.repeat(131_072)}"}`, headers: { 'content-type': 'application/json' }, status: 413, names: 'body' },
  { name: 'submissionId with space', method: 'POST', path: '/jobs', body: s({ submissionId: 'has space' }), status: 400, names: 'submissionId' },
  { name: 'submissionId empty', method: 'POST', path: '/jobs', body: s({ submissionId: '' }), status: 400, names: 'submissionId' },
  { name: 'submissionId 129 chars', method: 'POST', path: '/jobs', body: s({ submissionId: 'a'.repeat(129) }), status: 400, names: 'submissionId' },
  { name: 'submissionId array', method: 'POST', path: '/jobs', body: s({ submissionId: ['a'] }), status: 400, names: 'submissionId' },
  { name: 'unknown field (typo)', method: 'POST', path: '/jobs', body: s({ palceName: 'x' }), status: 400, names: 'palceName' },
  { name: 'temperature 3', method: 'POST', path: '/jobs', body: s({ temperature: 3 }), status: 400, names: 'temperature' },
  { name: 'temperature "hot"', method: 'POST', path: '/jobs', body: s({ temperature: 'hot' }), status: 400, names: 'temperature' },
  { name: 'model empty', method: 'POST', path: '/jobs', body: s({ model: '' }), status: 400, names: 'model' },
  { name: 'promptTemplate object', method: 'POST', path: '/jobs', body: s({ promptTemplate: {} }), status: 400, names: 'promptTemplate' },
  { name: 'body array', method: 'POST', path: '/jobs', body: [], status: 400, names: 'body' },
  { name: 'body null', method: 'POST', path: '/jobs', body: null, status: 400, names: 'body' },
  { name: 'body string', method: 'POST', path: '/jobs', body: 'hello', status: 400, names: 'body' },
  { name: 'body number', method: 'POST', path: '/jobs', body: 42, status: 400, names: 'body' },
  { name: 'malformed JSON', method: 'POST', path: '/jobs', raw: '{"count": 5,', headers: { 'content-type': 'application/json' }, status: 400, names: 'body' },
  { name: 'empty body', method: 'POST', path: '/jobs', headers: { 'content-type': 'application/json' }, status: 400, names: 'body' },
  { name: 'text/plain body (form CSRF)', method: 'POST', path: '/jobs', raw: JSON.stringify(submission()), headers: { 'content-type': 'text/plain' }, status: 415, names: 'body' },
  { name: 'urlencoded body', method: 'POST', path: '/jobs', raw: 'count=5', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, names: 'body' },
  { name: 'query on start', method: 'POST', path: '/jobs?dryRun=1', body: submission(), status: 400, names: 'dryRun' },
  // GET /jobs: the list query
  { name: 'status unknown', method: 'GET', path: '/jobs?status=done', status: 400, names: 'status' },
  { name: 'status list with a bad one', method: 'GET', path: '/jobs?status=running,bogus', status: 400, names: 'status' },
  { name: 'status empty', method: 'GET', path: '/jobs?status=', status: 400, names: 'status' },
  { name: 'limit 0', method: 'GET', path: '/jobs?limit=0', status: 400, names: 'limit' },
  { name: 'limit -1', method: 'GET', path: '/jobs?limit=-1', status: 400, names: 'limit' },
  { name: 'limit abc', method: 'GET', path: '/jobs?limit=abc', status: 400, names: 'limit' },
  { name: 'limit 1e3', method: 'GET', path: '/jobs?limit=1e3', status: 400, names: 'limit' },
  { name: 'limit 201', method: 'GET', path: '/jobs?limit=201', status: 400, names: 'limit' },
  { name: 'limit given twice', method: 'GET', path: '/jobs?limit=1&limit=2', status: 400, names: 'limit' },
  { name: 'cursor with bad characters', method: 'GET', path: '/jobs?cursor=%21%21%21', status: 400, names: 'cursor' },
  { name: 'cursor not from the store', method: 'GET', path: '/jobs?cursor=Zm9v', status: 400, names: 'cursor' },
  { name: 'unknown query parameter', method: 'GET', path: '/jobs?stauts=running', status: 400, names: 'stauts' },
  { name: 'createdBy empty', method: 'GET', path: '/jobs?createdBy=', status: 400, names: 'createdBy' },
  // per-job routes
  { name: 'id not a uuid', method: 'GET', path: '/jobs/not-a-uuid', status: 400, names: 'id' },
  { name: 'id a number', method: 'GET', path: '/jobs/123', status: 400, names: 'id' },
  { name: 'id uuid plus junk', method: 'GET', path: `/jobs/${UNKNOWN}x`, status: 400, names: 'id' },
  { name: 'id SQL-ish', method: 'POST', path: "/jobs/1'%20OR%20'1'='1/cancel", status: 400, names: 'id' },
  { name: 'unknown job', method: 'GET', path: `/jobs/${UNKNOWN}`, status: 404, names: UNKNOWN },
  { name: 'logs limit 0', method: 'GET', path: job('/logs?limit=0'), status: 400, names: 'limit' },
  { name: 'logs bogus cursor', method: 'GET', path: job('/logs?cursor=Zm9v'), status: 400, names: 'cursor' },
  { name: 'items with a query', method: 'GET', path: job('/items?page=2'), status: 400, names: 'page' },
  { name: 'cancel with a body', method: 'POST', path: job('/cancel'), body: { force: true }, status: 400, names: 'body' },
  { name: 'cancel with malformed JSON', method: 'POST', path: job('/cancel'), raw: '{', headers: { 'content-type': 'application/json' }, status: 400, names: 'body' },
  { name: 'retry with an array body', method: 'POST', path: job('/retry'), body: [1], status: 400, names: 'body' },
  { name: 'cancel as a form post', method: 'POST', path: job('/cancel'), raw: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, names: 'body' },
  { name: 'events unknown parameter', method: 'GET', path: job('/events?since=1'), status: 400, names: 'since' },
  // methods and routes
  { name: 'DELETE /jobs', method: 'DELETE', path: '/jobs', status: 405, names: 'DELETE', allow: 'GET, POST' },
  { name: 'PUT /jobs/:id', method: 'PUT', path: job(), status: 405, names: 'PUT', allow: 'GET' },
  { name: 'GET cancel', method: 'GET', path: job('/cancel'), status: 405, names: 'GET', allow: 'POST' },
  { name: 'POST events', method: 'POST', path: job('/events'), status: 405, names: 'POST', allow: 'GET' },
  { name: 'a method named like a prototype member', method: 'constructor', path: '/jobs', status: 405, names: 'constructor', allow: 'GET, POST' },
  { name: 'unknown route', method: 'GET', path: '/nope', status: 404, names: 'route' },
  { name: 'unknown sub-route', method: 'GET', path: job('/nope'), status: 404, names: 'route' },
];

describe(`bad input: ${cases.length} cases, each a 4xx naming the field, nothing written`, () => {
  let h: Harness;
  let existing: Job;
  let countBefore: number;

  beforeAll(async () => {
    h = createHarness({ autoRun: false });
    existing = await h.start();
    countBefore = await h.jobCount();
  });
  afterAll(() => h.close());

  it.each(cases)('$name -> $status', async (c) => {
    const path = typeof c.path === 'function' ? c.path(existing) : c.path;
    const response = await h.call(c.method, path, {
      ...(c.body !== undefined && { body: c.body }),
      ...(c.raw !== undefined && { raw: c.raw }),
      ...(c.headers && { headers: c.headers }),
    });
    expect(response.status).toBe(c.status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const { error } = (await response.json()) as { error: { code: string; message: string; fieldErrors?: Record<string, string[]> } };
    expect(error.message).toContain(c.names);
    expect(error.message).not.toMatch(/\n\s+at /); // no stack trace
    if (c.status === 400 && error.fieldErrors) expect(Object.keys(error.fieldErrors).join(' ')).toContain(c.names);
    if (c.allow) expect(response.headers.get('allow')).toBe(c.allow);
    expect(await h.jobCount()).toBe(countBefore);
    expect((await h.store.getJob(existing.id))?.status).toBe('pending');
  });

  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });
});
