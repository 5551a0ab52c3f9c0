'use client';
import { useEffect, useState } from 'react';

/**
 * The current time, re-rendering every `intervalMs` only while `active`: a finished
 * job's elapsed time is fixed, so nothing should tick for it.
 */
export function useNow(active: boolean, intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
  return now;
}
