/**
 * A fresh PostgreSQL database per test file or script: Supabase's roles and auth schema
 * (supabase-roles.sql, supabase-shim.sql), then the package's migrations, as on a
 * Supabase project. Dropped by `drop()`.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import pg from 'pg';

/** The maintenance database, as a superuser. */
export const ADMIN_DATABASE_URL =
  process.env.REVIEW_JOBS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const here = new URL('./', import.meta.url);
const migrations = new URL('../supabase/migrations/', import.meta.url);
// Any constant: serialises role creation across test processes (roles are cluster-wide).
const ROLES_LOCK = 7_400_417;

export interface TestDatabase {
  name: string;
  /** Superuser on the test database: setup and direct checks, bypassing RLS. */
  adminUrl: string;
  /** As PostgREST connects: the authenticator role, which switches role per request. */
  authenticatorUrl: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `review_jobs_test_${randomBytes(6).toString('hex')}`;
  await withClient(ADMIN_DATABASE_URL, async (client) => {
    await client.query('select pg_advisory_lock($1)', [ROLES_LOCK]);
    try {
      await client.query(await readFile(new URL('supabase-roles.sql', here), 'utf8'));
    } finally {
      await client.query('select pg_advisory_unlock($1)', [ROLES_LOCK]);
    }
    await client.query(`create database ${name}`);
  });

  const adminUrl = databaseUrl(name, null);
  await withClient(adminUrl, async (client) => {
    await client.query(await readFile(new URL('supabase-shim.sql', here), 'utf8'));
    const files = (await readdir(migrations)).filter((file) => file.endsWith('.sql')).sort();
    for (const file of files) await client.query(await readFile(new URL(file, migrations), 'utf8'));
  });

  return {
    name,
    adminUrl,
    authenticatorUrl: databaseUrl(name, 'authenticator'),
    async drop() {
      await withClient(ADMIN_DATABASE_URL, (client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}

function databaseUrl(name: string, user: string | null): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  if (user) {
    url.username = user;
    url.password = '';
  }
  return url.toString();
}

async function withClient<T>(connectionString: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Whether PostgreSQL answers. Unreachable: under CI that is a failure (thrown), elsewhere
 * the caller skips, after a warning that says how to run the tests.
 */
export async function postgresAvailable(): Promise<boolean> {
  try {
    await withClient(ADMIN_DATABASE_URL, (client) => client.query('select 1'));
    return true;
  } catch (error) {
    const message = `PostgreSQL is unreachable at ${ADMIN_DATABASE_URL} (${(error as Error).message})`;
    if (process.env.CI) throw new Error(`${message}; the Supabase store tests need it in CI`);
    console.warn(
      `${message}: skipping the Supabase store tests. Start PostgreSQL (user postgres, trust auth) ` +
        'or set REVIEW_JOBS_TEST_DATABASE_URL to a superuser URL to run them.',
    );
    return false;
  }
}
