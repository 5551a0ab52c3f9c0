/**
 * A test double of PostgREST: just enough of its wire protocol for supabase-js to run
 * the real SupabaseJobStore code path against a plain PostgreSQL. Not shipped.
 *
 * Like PostgREST it logs in as `authenticator`, verifies the HS256 JWT of each request,
 * and runs the request in one transaction as the JWT's role with
 * `request.jwt.claims` set, so grants, RLS and auth.uid() behave as on Supabase. Bodies
 * are JSON built by PostgreSQL; errors carry PostgREST's status codes and body
 * {code, message, details, hint}.
 *
 * Supported: `POST /rest/v1/rpc/<fn>` with named arguments (functions returning a
 * scalar or void) and `GET /rest/v1/<table>?select=<cols>&<col>=eq.<v>&order=<col>.<dir>&limit=<n>`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import pg from 'pg';

export interface PostgrestGatewayOptions {
  /** Connection string of the database, as `authenticator` (the gateway switches role per request). */
  databaseUrl: string;
  /** The HS256 secret the API keys and user tokens are signed with. */
  jwtSecret: string;
  /** Connections to PostgreSQL; default 10. */
  poolSize?: number;
  port?: number;
}

export interface PostgrestGateway {
  /** Base URL to give `createClient` (the gateway serves `/rest/v1`). */
  url: string;
  close(): Promise<void>;
}

interface ApiError {
  code: string;
  message: string;
  details: string | null;
  hint: string | null;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError,
  ) {
    super(body.message);
  }
}

interface FunctionSignature {
  args: Map<string, string>;
  returnsVoid: boolean;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ANON_ROLE = 'anon';

export async function startPostgrestGateway(options: PostgrestGatewayOptions): Promise<PostgrestGateway> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
  // An idle connection dropped by the server must not crash the test process.
  pool.on('error', () => {});
  const secret = new TextEncoder().encode(options.jwtSecret);
  const signatures = new Map<string, Promise<FunctionSignature | null>>();

  const signatureOf = (fn: string): Promise<FunctionSignature | null> => {
    let signature = signatures.get(fn);
    if (!signature) {
      signature = loadSignature(pool, fn);
      signatures.set(fn, signature);
    }
    return signature;
  };

  const server: Server = createServer((request, response) => {
    handle(request)
      .then(({ status, body }) => send(response, status, body))
      .catch((error: unknown) => {
        if (error instanceof HttpError) return send(response, error.status, JSON.stringify(error.body));
        send(response, 500, JSON.stringify(apiError('PGRST000', String(error))));
      });
  });

  async function handle(request: IncomingMessage): Promise<{ status: number; body: string }> {
    const url = new URL(request.url ?? '/', 'http://gateway');
    const claims = await authenticate(request.headers.authorization, secret);
    const role = typeof claims.role === 'string' ? claims.role : ANON_ROLE;
    const path = url.pathname.replace(/^\/rest\/v1\//, '');
    if (path === url.pathname) throw new HttpError(404, apiError('PGRST125', `Invalid path ${url.pathname}`));

    if (request.method === 'POST' && path.startsWith('rpc/')) {
      const fn = path.slice('rpc/'.length);
      const args = await readJsonBody(request);
      const signature = IDENTIFIER.test(fn) ? await signatureOf(fn) : null;
      const result = await inTransaction(pool, role, claims, rpcQuery(fn, signature, args));
      return signature?.returnsVoid ? { status: 204, body: '' } : { status: 200, body: result ?? 'null' };
    }
    if (request.method === 'GET' && IDENTIFIER.test(path)) {
      const result = await inTransaction(pool, role, claims, selectQuery(path, url.searchParams));
      return { status: 200, body: result ?? '[]' };
    }
    throw new HttpError(405, apiError('PGRST117', `Unsupported HTTP method ${request.method} on ${url.pathname}`));
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pool.end();
    },
  };
}

function send(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(body);
}

function apiError(code: string, message: string, details: string | null = null, hint: string | null = null): ApiError {
  return { code, message, details, hint };
}

/** PostgREST's answers: no header is anon; a bad or expired token is 401. */
async function authenticate(header: string | undefined, secret: Uint8Array): Promise<JWTPayload> {
  if (!header) return { role: ANON_ROLE };
  const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
  if (!token) throw new HttpError(401, apiError('PGRST301', 'No suitable key or wrong key type'));
  try {
    const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] });
    return payload;
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new HttpError(401, apiError('PGRST303', 'JWT expired'));
    throw new HttpError(401, apiError('PGRST301', `JWSError ${(error as Error).message}`));
  }
}

async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // fall through to PostgREST's answer for a bad body
  }
  throw new HttpError(400, apiError('PGRST102', 'Empty or invalid json'));
}

async function loadSignature(pool: pg.Pool, fn: string): Promise<FunctionSignature | null> {
  const { rows } = await pool.query<{ names: string[] | null; types: string[]; returns_void: boolean }>(
    `select p.proargnames as names,
            array(select format_type(t, null) from unnest(p.proargtypes::oid[]) with ordinality a(t, i) order by i) as types,
            p.prorettype = 'void'::regtype as returns_void
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' and p.proname = $1`,
    [fn],
  );
  const row = rows[0];
  if (!row || rows.length > 1) return null;
  const args = new Map<string, string>();
  row.types.forEach((type, i) => args.set(row.names?.[i] ?? `$${i + 1}`, type));
  return { args, returnsVoid: row.returns_void };
}

/**
 * As PostgREST does it: the JSON body becomes a record typed by the function's
 * parameters (json_to_record), passed by name, so omitted arguments take their defaults.
 */
function rpcQuery(fn: string, signature: FunctionSignature | null, args: Record<string, unknown>): string {
  const names = Object.keys(args);
  const unknown = names.filter((name) => !signature?.args.has(name));
  if (!signature || unknown.length > 0) {
    throw new HttpError(
      404,
      apiError(
        'PGRST202',
        `Could not find the function public.${fn}(${names.join(', ')}) in the schema cache`,
        null,
        null,
      ),
    );
  }
  const call = names.map((name) => `"${name}" => _."${name}"`).join(', ');
  const record = names.map((name) => `"${name}" ${signature.args.get(name)}`).join(', ');
  const from = names.length > 0 ? ` from json_to_record(${pg.escapeLiteral(JSON.stringify(args))}::json) as _(${record})` : '';
  const invocation = `public."${fn}"(${call})`;
  // A void result has no JSON form; the gateway answers 204 for it.
  const body = signature.returnsVoid ? `${invocation}::text` : `to_json(${invocation})::text`;
  return `select ${body} as body${from}`;
}

function selectQuery(table: string, params: URLSearchParams): string {
  const where: string[] = [];
  let columns = '*';
  let order = '';
  let limit = '';
  for (const [key, value] of params) {
    if (key === 'select') {
      columns = value === '*' ? '*' : value.split(',').map((c) => quoteIdentifier(c.trim())).join(', ');
    } else if (key === 'order') {
      order = ` order by ${value
        .split(',')
        .map((term) => {
          const [column = '', direction = 'asc'] = term.split('.');
          if (direction !== 'asc' && direction !== 'desc') throw badRequest(`"${term}" in order`);
          return `${quoteIdentifier(column)} ${direction}`;
        })
        .join(', ')}`;
    } else if (key === 'limit') {
      if (!/^\d+$/.test(value)) throw badRequest(`limit=${value}`);
      limit = ` limit ${value}`;
    } else if (value.startsWith('eq.')) {
      // An untyped literal: PostgreSQL casts it to the column's type, as PostgREST does.
      where.push(`${quoteIdentifier(key)} = ${pg.escapeLiteral(value.slice('eq.'.length))}`);
    } else {
      throw badRequest(`${key}=${value} (this gateway supports only eq filters)`);
    }
  }
  const filter = where.length > 0 ? ` where ${where.join(' and ')}` : '';
  return `select coalesce(json_agg(_), '[]')::text as body from (select ${columns} from public.${quoteIdentifier(table)}${filter}${order}${limit}) _`;
}

function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw badRequest(`"${name}" is not a column name`);
  return `"${name}"`;
}

function badRequest(what: string): HttpError {
  return new HttpError(400, apiError('PGRST100', `Failed to parse ${what}`));
}

/**
 * One transaction per request, as the JWT's role, with its claims visible to SQL. Sent
 * as one multi-statement message (values inlined as escaped literals), like PostgREST's
 * pipelining: row locks taken by the call are released at COMMIT inside PostgreSQL,
 * never held across a round trip to this (busy, single-threaded) process.
 */
async function inTransaction(pool: pg.Pool, role: string, claims: JWTPayload, statement: string): Promise<string | null> {
  const client = await pool.connect();
  try {
    const results = (await client.query(
      `begin; select set_config('role', ${pg.escapeLiteral(role)}, true), ` +
        `set_config('request.jwt.claims', ${pg.escapeLiteral(JSON.stringify(claims))}, true); ` +
        `${statement}; commit`,
    )) as unknown as pg.QueryResult<{ body: string | null }>[];
    return results[2]?.rows[0]?.body ?? null;
  } catch (error) {
    // An error skips the rest of the message and leaves the transaction aborted.
    await client.query('rollback').catch(() => {});
    throw toHttpError(error, role);
  } finally {
    client.release();
  }
}

/** PostgREST's status for each SQLSTATE (docs: "HTTP status codes"). */
function statusOf(code: string, role: string): number {
  if (code === '42501') return role === ANON_ROLE ? 401 : 403;
  if (code === '42883' || code === '42P01') return 404;
  if (code === '23503' || code === '23505') return 409;
  if (code === '25006') return 405;
  if (code === 'P0001') return 400;
  if (code === '42P17') return 500;
  if (/^(08|53)/.test(code)) return 503;
  if (/^(0L|0P|28)/.test(code)) return 403;
  if (/^(09|25|2D|38|39|3B|40|54|55|57|58|F0|HV|P0|XX)/.test(code)) return 500;
  return 400;
}

function toHttpError(error: unknown, role: string): HttpError {
  const e = error as Partial<pg.DatabaseError>;
  if (typeof e.code !== 'string') return new HttpError(500, apiError('PGRST000', String(error)));
  return new HttpError(
    statusOf(e.code, role),
    apiError(e.code, e.message ?? 'database error', e.detail ?? null, e.hint ?? null),
  );
}
