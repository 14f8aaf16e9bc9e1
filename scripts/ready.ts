// Waiting for a process's readiness URL, for `npm start` (scripts/start.ts) and the
// benchmark (bench/support/system.ts): GET it until it answers 2xx, each try bounded, the
// whole wait bounded; `until` ends the wait early (start: a shutdown began; bench: the child
// exited).

export interface ReadyWait {
  timeoutMs: number;
  /** Between tries (default 200 ms). */
  intervalMs?: number;
  /** A reason to stop waiting, checked before each try; its text is returned. */
  until?: () => string | null;
}

/** 'ready', 'timeout', or the reason `until` gave. */
export async function waitUntilReady(url: string, wait: ReadyWait): Promise<'ready' | 'timeout' | { stopped: string }> {
  const deadline = Date.now() + wait.timeoutMs;
  while (Date.now() < deadline) {
    const stopped = wait.until?.();
    if (stopped) return { stopped };
    try {
      const left = deadline - Date.now();
      if ((await fetch(url, { signal: AbortSignal.timeout(Math.max(1, Math.min(2000, left))) })).ok) return 'ready';
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, wait.intervalMs ?? 200));
  }
  return 'timeout';
}
