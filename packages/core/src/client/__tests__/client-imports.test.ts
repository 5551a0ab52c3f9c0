import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('..', import.meta.url));
const sources = readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('the client subpath runs in browsers', () => {
  it.each(sources)('%s imports values only from the client folder and ../job.js (no runner, no zod, no node:)', (file) => {
    const text = readFileSync(`${dir}${file}`, 'utf8');
    const valueImports = [...text.matchAll(/^(?:import|export) (?!type )[^;]*? from '([^']+)'/gms)].map((m) => m[1]!);
    for (const target of valueImports) expect(target, `${file} imports ${target}`).toMatch(/^(\.\/[\w-]+\.js|\.\.\/job\.js)$/);
  });
});
