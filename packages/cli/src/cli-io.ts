/** What the commands need from the process; tests pass their own. */
export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  onInterrupt(listener: () => void): void;
  offInterrupt(listener: () => void): void;
  exit(code: number): never;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    onInterrupt: (listener) => {
      process.on('SIGINT', listener);
      process.on('SIGTERM', listener);
    },
    offInterrupt: (listener) => {
      process.off('SIGINT', listener);
      process.off('SIGTERM', listener);
    },
    exit: (code) => process.exit(code),
  };
}
