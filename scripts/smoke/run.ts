import { Clock, realClock } from "./clock";
import { Answer, probe, ProbeOptions, refused, Target } from "./probe";
import { Summary, summarize, verdict } from "./report";

export interface RunOptions extends ProbeOptions {
    /** How long to keep trying while every answer is 2xx but too few tasks or AZs have answered. */
    deadlineSeconds: number;
    /** How long to keep trying while every connection is refused, before anything has answered. */
    listenDeadlineSeconds: number;
    retryPauseMs: number;
}

/**
 * Probes in rounds and judges every answer of the run. Only a service still coming up earns another
 * round: all answers 2xx but too few tasks or AZs, or every connection refused before anything
 * answered (such rounds are left out of the run). Any other failure ends the run at once.
 */
export async function smoke(target: Target, options: RunOptions, log: (line: string) => void, clock: Clock = realClock):
    Promise<{ summary: Summary; reasons: string[] }> {
    const start = clock.now();
    const run: Answer[] = [];
    for (let round = 1; ; round++) {
        const answers = await probe(target, options, clock);
        const notListening = run.length === 0 && answers.every((a) => a.failure === refused);
        if (!notListening) run.push(...answers);
        const summary = summarize(notListening ? answers : run);
        const reasons = verdict(summary, target).map((reason) => (notListening ? `nothing is listening: ${reason}` : reason));
        const comingUp = notListening || summary.failures.size === 0;
        const deadlineMs = 1000 * (notListening ? options.listenDeadlineSeconds : options.deadlineSeconds);
        if (reasons.length === 0 || !comingUp || clock.now() - start + options.retryPauseMs > deadlineMs) {
            return { summary, reasons };
        }
        log(`round ${round}: not yet (${reasons.join("; ")}); trying again`);
        await clock.sleep(options.retryPauseMs);
    }
}
