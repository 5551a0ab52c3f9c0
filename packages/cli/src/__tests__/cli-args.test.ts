import { describe, expect, it } from 'vitest';
import { parseCommand, UsageError } from '../cli-args.js';

describe('parseCommand', () => {
  it('reads generate with its defaults', () => {
    const command = parseCommand(['generate', '--place', '카페 온도', '--script', '커피가 맛있음']);
    expect(command).toMatchObject({
      name: 'generate',
      args: { place: '카페 온도', script: '커피가 맛있음', count: 50, concurrency: 10, rpm: undefined, out: undefined },
    });
  });

  it('reads every number flag', () => {
    const command = parseCommand([
      'generate', '--place', 'p', '--script', 's', '--count', '7', '--concurrency', '3',
      '--rpm', '15', '--tpm', '9000', '--time-scale', '0.01', '--fault-rate', '0.2', '--seed', '42',
    ]);
    expect(command).toMatchObject({
      args: { count: 7, concurrency: 3, rpm: 15, tpm: 9000, timeScale: 0.01, faultRate: 0.2, seed: 42 },
    });
  });

  it.each([
    [['generate', '--script', 's'], /--place is required/],
    [['generate', '--place', 'p'], /--script is required/],
    [['generate', '--place', 'p', '--script', 's', '--count', '0'], /--count must be a number from 1 to 500/],
    [['generate', '--place', 'p', '--script', 's', '--count', 'abc'], /--count .*"abc"/],
    [['generate', '--place', 'p', '--script', 's', '--count', '2.5'], /--count must be a whole number/],
    [['generate', '--place', 'p', '--script', 's', '--concurrency', '-1'], /--concurrency/],
    [['generate', '--place', 'p', '--script', 's', '--fault-rate', '2'], /--fault-rate/],
    [['worker', '--rpm', ''], /--rpm/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('refuses %j naming the flag', (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
    expect(() => parseCommand(argv)).toThrow(message);
  });

  it('refuses unknown flags', () => {
    expect(() => parseCommand(['generate', '--palce', 'p'])).toThrow(/palce/);
  });

  it('reads worker and help', () => {
    expect(parseCommand(['worker', '--concurrency', '4'])).toEqual({
      name: 'worker',
      args: { concurrency: 4, rpm: undefined, tpm: undefined, timeScale: 1 },
    });
    expect(parseCommand([])).toEqual({ name: 'help' });
  });
});
