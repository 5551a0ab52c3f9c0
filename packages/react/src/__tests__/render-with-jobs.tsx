import { cleanup, render, renderHook } from '@testing-library/react';
import { afterEach } from 'vitest';
import type { ReactElement, ReactNode } from 'react';
import { JobsProvider, type JobsProviderProps } from '@review-jobs/react';
import { FakeJobClient } from './fake-job-client.js';

// Testing Library unmounts after each test only with vitest globals on; we keep them off.
afterEach(cleanup);

type ProviderOptions = Omit<JobsProviderProps, 'client' | 'children'> & { client?: FakeJobClient };

function wrapperFor({ client = new FakeJobClient(), ...props }: ProviderOptions) {
  const Wrapper = ({ children }: { children: ReactNode }) => (
    <JobsProvider client={client} {...props}>
      {children}
    </JobsProvider>
  );
  return { client, Wrapper };
}

/** render() inside a <JobsProvider> with a FakeJobClient (given or new). */
export function renderWithJobs(ui: ReactElement, options: ProviderOptions = {}) {
  const { client, Wrapper } = wrapperFor(options);
  return { client, ...render(ui, { wrapper: Wrapper }) };
}

export function renderHookWithJobs<TResult, TProps>(
  hook: (props: TProps) => TResult,
  options: ProviderOptions & { initialProps?: TProps } = {},
) {
  const { initialProps, ...providerOptions } = options;
  const { client, Wrapper } = wrapperFor(providerOptions);
  return { client, ...renderHook(hook, { wrapper: Wrapper, ...(initialProps === undefined ? {} : { initialProps }) }) };
}
