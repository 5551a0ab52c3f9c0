export { SupabaseJobStore } from './supabase-job-store.js';
export { SupabaseStoreError } from './supabase-store-error.js';
export type { PostgrestErrorLike } from './supabase-store-error.js';
