/**
 * How long an item takes from being recorded to reaching SSE watchers.
 *
 * A real node:http server (toNodeHandler) serves the handlers of a runner on a
 * MemoryJobStore and a time-scaled FakeGenerator; N clients (createJobClient, SSE over
 * fetch streaming) watch one job. Latency = from the runner's 'item' event (the store
 * write has just returned) to the 'item' event in each watcher. Server and watchers
 * share this process and its event loop, so the figures include the clients' parsing:
 * they are an upper bound of what the server adds.
 *
 * Run: npx tsx packages/core/bench/sse-latency.ts [items=200]
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

if (process.env.TSX_TSCONFIG_PATH === undefined) {
  // tsx reads tsconfig "paths" from the working directory, and the repo root has none:
  // '@review-jobs/adapter-memory' would load its (maybe stale) dist build, with a second
  // copy of core. Run again with core's tsconfig so every package comes from source.
  const tsconfig = fileURLToPath(new URL('../tsconfig.json', import.meta.url));
  const args = [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  const { status } = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig } });
  process.exit(status ?? 1);
}

const { MemoryJobStore } = await import('@review-jobs/adapter-memory');
const { ReviewJobRunner } = await import('../src/runner.js');
const { FakeGenerator } = await import('../src/testing/fake-generator.js');
const { createJobHandlers, toNodeHandler } = await import('../src/http/index.js');
const { createJobClient, isTerminal } = await import('../src/client/index.js');

const ITEMS = Number(process.argv[2] ?? 200);

async function scenario(watchers: number): Promise<number[]> {
  const store = new MemoryJobStore();
  // A 12 s median call scaled to 60 ms; rpm limits off: we measure delivery, not the API.
  const generator = new FakeGenerator({ seed: 11, timeScale: 0.005 });
  const runner = new ReviewJobRunner({ store, generator, concurrency: 10, autoRun: false });
  const recordedAt = new Map<number, number>();
  // Registered before the handlers attach theirs, so eventemitter3 calls it first.
  runner.on('item', ({ item }) => recordedAt.set(item.index, performance.now()));
  const handlers = createJobHandlers({ runner, authorize: () => true, basePath: '/api/review-jobs' });
  const server = createServer((req, res) => void toNodeHandler(handlers)(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = createJobClient({ baseUrl: `http://127.0.0.1:${port}/api/review-jobs` });

  const { job } = await client.start({ submissionId: `bench-${watchers}`, placeName: '성수동 카페 온도', script: '핸드드립 커피가 맛있고 창가 자리가 조용함', count: ITEMS });
  const latencies: number[] = [];
  let connected = 0;
  let finished = 0;
  let allConnected!: () => void;
  let allFinished!: () => void;
  const connectedP = new Promise<void>((r) => (allConnected = r));
  const finishedP = new Promise<void>((r) => (allFinished = r));
  const stops = Array.from({ length: watchers }, () =>
    client.watchJob(job.id, (event) => {
      if (event.type === 'snapshot' && ++connected === watchers) allConnected();
      if (event.type === 'item') latencies.push(performance.now() - recordedAt.get(event.item.index)!);
      if (event.type === 'status' && isTerminal(event.job.status) && ++finished === watchers) allFinished();
      if (event.type === 'error') console.error(event.error);
    }),
  );
  await connectedP;
  await runner.runFor(job.id, { deadline: Date.now() + 10 * 60_000 });
  await finishedP;

  for (const stop of stops) stop();
  handlers.close();
  await runner.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  if (latencies.length !== watchers * ITEMS) throw new Error(`expected ${watchers * ITEMS} item events, got ${latencies.length}`);
  return latencies;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

console.log(`SSE delivery latency, ${ITEMS} items, item recorded -> watcher's 'item' event (ms)`);
console.log('watchers   samples   median      p99      max   median vs 1   p99 vs 1');
await scenario(1); // warm-up: JIT, sockets
let baseline: { median: number; p99: number } | undefined;
for (const watchers of [1, 10, 100]) {
  const sorted = (await scenario(watchers)).sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const p99 = quantile(sorted, 0.99);
  baseline ??= { median, p99 };
  const row = [
    String(watchers).padStart(8),
    String(sorted.length).padStart(9),
    median.toFixed(2).padStart(8),
    p99.toFixed(2).padStart(8),
    sorted.at(-1)!.toFixed(2).padStart(8),
    `${(median / baseline.median).toFixed(1)}x`.padStart(13),
    `${(p99 / baseline.p99).toFixed(1)}x`.padStart(10),
  ];
  console.log(row.join(' '));
}
