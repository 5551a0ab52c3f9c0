import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../cli-io.js';
import { runCli } from '../run-cli.js';

function captureIo(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (sink: string[]) => {
    const s = new PassThrough() as unknown as NodeJS.WriteStream;
    s.on('data', (chunk: Buffer) => sink.push(chunk.toString('utf8')));
    return s;
  };
  const io: CliIo = {
    stdout: stream(out),
    stderr: stream(err),
    env,
    onInterrupt: () => undefined,
    offInterrupt: () => undefined,
    exit: (code) => {
      throw new Error(`exit ${code}`);
    },
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

const place = ['--place', '성수동 카페 온도', '--script', '핸드드립 커피가 맛있고 창가 자리가 조용함'];

describe('review-jobs generate', () => {
  it('says it uses the simulated model, shows progress and writes the drafts as JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'review-jobs-cli-'));
    const out = join(dir, 'drafts.json');
    const { io, stdout, stderr } = captureIo();

    const code = await runCli(['generate', ...place, '--count', '12', '--time-scale', '0.001', '--out', out], io);

    expect(code).toBe(0);
    expect(stdout().split('\n')[0]).toMatch(/^Model: simulated \(no GEMINI_API_KEY set\)/);
    expect(stdout()).toMatch(/Job completed in [\d.]+ s: 12 succeeded, 0 failed of 12/);
    expect(stderr()).toMatch(/100% done 12\/12, failed 0/);
    const drafts = JSON.parse(await readFile(out, 'utf8')) as Array<{ index: number; status: string; text: string }>;
    expect(drafts.map((draft) => draft.index)).toEqual([...Array(12).keys()].map((i) => i + 1));
    expect(drafts.every((draft) => draft.status === 'succeeded' && draft.text.includes('성수동 카페 온도'))).toBe(true);
  });

  it('answers a bad flag with exit code 2 and the usage', async () => {
    const { io, stderr } = captureIo();
    expect(await runCli(['generate', ...place, '--count', '0'], io)).toBe(2);
    expect(stderr()).toMatch(/--count must be a number from 1 to 500/);
    expect(stderr()).toMatch(/Usage:/);
  });

  it('cancels cleanly on Ctrl-C: in-flight calls aborted, a summary printed, exit 130', async () => {
    // The real process and the real signal: the bin's own SIGINT handling is what is tested.
    const bin = fileURLToPath(new URL('../bin.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', bin, 'generate', ...place, '--count', '50', '--concurrency', '2', '--time-scale', '0.05'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, GEMINI_API_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      // Interrupt once the first drafts are in: mid-job.
      if (/done [1-9]\d*\/50/.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

    expect(stderr).toMatch(/Cancelling: in-flight calls are being aborted/);
    expect(code).toBe(130);
    const summary = /Job cancelled in [\d.]+ s: (\d+) succeeded, (\d+) failed, (\d+) not generated of 50/.exec(stdout);
    expect(summary).not.toBeNull();
    const [, succeeded, failed, pending] = summary!.map(Number);
    expect(succeeded! + failed! + pending!).toBe(50);
    expect(pending).toBeGreaterThan(0);
  }, 60_000);
});
