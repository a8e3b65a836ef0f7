// Waiting for foreign code (a program, a policy) that may never finish. A wait ends when the work
// settles, when the time limit passes (a live timer or socket keeps the process busy forever), or
// as soon as the process has nothing left that could settle it: Node emits 'beforeExit' when its
// event loop is empty, which is exactly "a promise nobody can resolve" (a rejected input another
// resource waits on, `await new Promise(() => {})`). The SDK's own language host uses the same
// signal. The time-limit timer is unref'd so that it never hides that signal.

export type Stop = "timeout" | "stalled";

export type Settled<T> = { readonly done: true; readonly value: T } | { readonly done: false; readonly stop: Stop };

/** Default time limit of each program run and each pack's evaluation. */
export const DEFAULT_TIME_LIMIT_SECONDS = 300;

export function settle<T>(work: Promise<T>, limitMs: number): Promise<Settled<T>> {
    return new Promise<Settled<T>>((resolve, reject) => {
        let over = false;
        const end = (): boolean => {
            if (over) return false;
            over = true;
            clearTimeout(timer);
            process.removeListener("beforeExit", onIdle);
            return true;
        };
        const onIdle = () => {
            if (!end()) return;
            // Node emits 'beforeExit' again only if the loop ran again: without this, a second
            // wait that stalls right after this one would let the process exit mid-preview.
            setImmediate(() => undefined);
            resolve({ done: false, stop: "stalled" });
        };
        const timer = setTimeout(() => end() && resolve({ done: false, stop: "timeout" }), Math.max(0, limitMs));
        timer.unref();
        process.on("beforeExit", onIdle);
        work.then(
            (value) => end() && resolve({ done: true, value }),
            (e: unknown) => end() && reject(e),
        );
    });
}

/** Resolves after every promise already settled has run its callbacks (one macrotask later). */
export function afterMicrotasks(): Promise<void> {
    return new Promise((r) => setImmediate(r));
}

/** What keeps the process busy (timers, sockets, child processes...), as counts by kind, minus a baseline. */
export function liveHandles(baseline: readonly string[]): string {
    const info = (process as unknown as { getActiveResourcesInfo?: () => string[] }).getActiveResourcesInfo?.() ?? [];
    const counts = new Map<string, number>();
    for (const k of info) counts.set(k, (counts.get(k) ?? 0) + 1);
    for (const k of baseline) counts.set(k, (counts.get(k) ?? 0) - 1);
    const live = [...counts].filter(([, n]) => n > 0).map(([k, n]) => `${k} x${n}`);
    return live.length ? live.join(", ") : "none";
}

export function activeHandles(): string[] {
    return (process as unknown as { getActiveResourcesInfo?: () => string[] }).getActiveResourcesInfo?.() ?? [];
}
