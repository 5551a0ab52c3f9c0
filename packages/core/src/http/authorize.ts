import type { Job } from '../job.js';
import { HttpError } from './http-error.js';

export type JobAction = 'start' | 'read' | 'list' | 'cancel' | 'retry' | 'events';

export type AuthorizeResult =
  | boolean
  | {
      allow: true;
      /** Becomes `createdBy` on start; scopes `list` to this user unless `admin`. */
      userId?: string | null;
      /** Sees every job in `list`, whoever created it. */
      admin?: boolean;
    }
  | { allow: false; status?: 401 | 403; message?: string };

/**
 * Asked before every route. `job` is passed for per-job actions (read, cancel, retry,
 * events): the loaded job, or `undefined` when there is no job with that id (or the id
 * is malformed). Authorization runs before the 404/400 so that a caller who may not
 * see jobs learns nothing about which ids exist; deny when `job` is undefined and the
 * caller is not authenticated, allow to let them get the 404.
 */
export type Authorize = (
  request: Request,
  action: JobAction,
  job?: Job,
) => AuthorizeResult | Promise<AuthorizeResult>;

export interface Principal {
  userId: string | null;
  admin: boolean;
}

/** Runs `authorize` and returns who the caller is, or throws the 401/403 to answer. */
export async function checkAccess(authorize: Authorize, request: Request, action: JobAction, job?: Job): Promise<Principal> {
  const result = await authorize(request, action, job);
  if (result === true) return { userId: null, admin: false };
  if (result === false) throw new HttpError(403, 'forbidden', 'Not allowed.');
  if (typeof result !== 'object' || result === null || typeof result.allow !== 'boolean') {
    // A host bug, not a denial: surface it as a 500 (reported through onError).
    throw new TypeError(`authorize() must return a boolean or { allow }, got ${String(result)}`);
  }
  if (!result.allow) {
    const status = result.status === 401 ? 401 : 403;
    const message = result.message ?? (status === 401 ? 'Authentication required.' : 'Not allowed.');
    throw new HttpError(status, status === 401 ? 'unauthorized' : 'forbidden', message);
  }
  return { userId: result.userId ?? null, admin: result.admin === true };
}
