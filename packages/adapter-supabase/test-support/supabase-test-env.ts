/**
 * Everything a test or script needs to talk to "Supabase" here: a fresh database, the
 * PostgREST test double in front of it, and signed keys, as supabase-js clients.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { SignJWT, type JWTPayload } from 'jose';
import pg from 'pg';
import { startPostgrestGateway } from './postgrest-gateway.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const TEST_JWT_SECRET = 'review-jobs-test-secret-with-at-least-32-characters';

export interface SupabaseTestEnv {
  /** The project URL to give createClient (the gateway). */
  url: string;
  serviceRoleKey: string;
  anonKey: string;
  database: TestDatabase;
  /** Superuser pool on the test database, for direct checks that bypass RLS. */
  sql: pg.Pool;
  /** A client as the service role (what workers use). */
  serviceClient(): SupabaseClient;
  anonClient(): SupabaseClient;
  /** A client signed in as `userId` (a uuid); `admin` adds app_metadata.role = 'admin'. */
  userClient(userId: string, options?: { admin?: boolean }): Promise<SupabaseClient>;
  close(): Promise<void>;
}

export async function signTestJwt(claims: JWTPayload, secret = TEST_JWT_SECRET): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer('supabase').setIssuedAt();
  if (claims.exp === undefined) jwt.setExpirationTime('2h');
  return jwt.sign(new TextEncoder().encode(secret));
}

/**
 * supabase-js builds its realtime client eagerly and, on Node 20 (no global WebSocket),
 * throws unless given a transport. Nothing here subscribes, so a transport that refuses
 * to connect is enough.
 */
class NoWebSocket {
  constructor() {
    throw new Error('realtime is not available in the review-jobs tests');
  }
}

/** A supabase-js client that never persists or refreshes a session (no browser here). */
export function makeClient(url: string, key: string, accessToken?: string): SupabaseClient {
  return createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: (globalThis.WebSocket ?? NoWebSocket) as never },
    ...(accessToken ? { accessToken: async () => accessToken } : {}),
  });
}

export async function startSupabaseTestEnv(options: { poolSize?: number } = {}): Promise<SupabaseTestEnv> {
  const database = await createTestDatabase();
  const gateway = await startPostgrestGateway({
    databaseUrl: database.authenticatorUrl,
    jwtSecret: TEST_JWT_SECRET,
    ...(options.poolSize ? { poolSize: options.poolSize } : {}),
  });
  const sql = new pg.Pool({ connectionString: database.adminUrl, max: 2 });
  sql.on('error', () => {});
  const serviceRoleKey = await signTestJwt({ role: 'service_role' });
  const anonKey = await signTestJwt({ role: 'anon' });

  return {
    url: gateway.url,
    serviceRoleKey,
    anonKey,
    database,
    sql,
    serviceClient: () => makeClient(gateway.url, serviceRoleKey),
    anonClient: () => makeClient(gateway.url, anonKey),
    async userClient(userId, { admin = false } = {}) {
      const token = await signTestJwt({
        role: 'authenticated',
        sub: userId,
        aud: 'authenticated',
        app_metadata: admin ? { role: 'admin' } : {},
      });
      return makeClient(gateway.url, anonKey, token);
    },
    async close() {
      await gateway.close();
      await sql.end();
      await database.drop();
    },
  };
}
