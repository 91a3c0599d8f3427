import { setTimeout as sleep } from "node:timers/promises";

/** Time as the check sees it: the real one outside tests, a fake one that tests move on when they choose. */
export interface Clock {
    now(): number;
    sleep(ms: number): Promise<void>;
    /** Calls `fire` once `ms` have passed, unless the function it returns is called first. */
    setTimer(ms: number, fire: () => void): () => void;
}

export const realClock: Clock = {
    now: () => Date.now(),
    sleep: (ms) => sleep(ms),
    setTimer: (ms, fire) => {
        const timer = setTimeout(fire, ms);
        return () => clearTimeout(timer);
    },
};
