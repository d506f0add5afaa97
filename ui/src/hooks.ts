import { useEffect, useRef, useState } from 'preact/hooks';
import { getAuthVersion, isAuthNeeded, onAuthChange } from './api';

/** Re-renders when a token is set or asked for. */
export function useAuthVersion(): number {
  const [v, setV] = useState(getAuthVersion());
  useEffect(() => onAuthChange(() => setV(getAuthVersion())), []);
  return v;
}

/** Whether the daemon asks for a token now (re-renders when that changes). */
export function useAuthNeeded(): boolean {
  const [needed, setNeeded] = useState(isAuthNeeded());
  useEffect(() => onAuthChange(() => setNeeded(isAuthNeeded())), []);
  return needed;
}

/** True while the tab is visible. */
export function useVisible(): boolean {
  const [vis, setVis] = useState(typeof document === 'undefined' || document.visibilityState !== 'hidden');
  useEffect(() => {
    const h = () => setVis(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', h);
    return () => document.removeEventListener('visibilitychange', h);
  }, []);
  return vis;
}

/**
 * Calls fn now and then every intervalMs while the tab is visible (the next
 * call is scheduled when the previous one ends, so calls never overlap).
 * A change of deps, of the token, or the tab coming back calls it at once.
 */
export function usePoll(fn: () => Promise<void>, intervalMs: number, deps: unknown[]): void {
  const visible = useVisible();
  const auth = useAuthVersion();
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    if (!visible) return;
    let stopped = false;
    let timer: number | undefined;
    const tick = async () => {
      try {
        await fnRef.current();
      } catch {
        /* fn reports its own errors */
      }
      if (!stopped) timer = window.setTimeout(tick, intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [visible, auth, intervalMs, ...deps]);
}

/** The current time (ms), updated every intervalMs. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
