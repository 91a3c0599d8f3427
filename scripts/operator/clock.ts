import { setTimeout as sleep } from "node:timers/promises";

/** Time as the polling commands see it: the real one outside tests, a fake one that tests move on. */
export interface Clock {
    now(): number;
    /** Resolves after `ms`, or at once when `signal` aborts (Ctrl-C), never rejecting. */
    sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
    now: () => Date.now(),
    sleep: (ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined),
};
