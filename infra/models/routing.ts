/**
 * How the ALB routes requests to the services: the default route (the listener's default action) or a
 * listener rule matching path patterns and/or host headers. Pure: no Pulumi, no I/O.
 */
export interface ServiceRoute {
    /** Path patterns the rule matches; empty matches any path. */
    readonly pathPatterns: readonly string[];
    /** Host headers the rule matches; empty matches any host. */
    readonly hostHeaders: readonly string[];
    /** The listener rule's priority; absent for the default route, which needs no rule. */
    readonly priority?: number;
}

export interface RouteRequest {
    readonly name: string;
    /** Only web services (the default) are routed from the ALB; a backend, worker or job has no route. */
    readonly type?: "web" | "backend" | "worker" | "job";
    readonly pathPatterns: readonly string[];
    readonly hostHeaders: readonly string[];
}

/** A routing problem, naming the service and config field it comes from. */
export interface RouteProblem {
    readonly service: string;
    readonly field: "pathPatterns" | "hostHeaders";
    readonly message: string;
}

// Listener rule priorities run from 1 to 50000
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html). The hash folds into
// 1-49999, as it did when 50000 was the default route's catch-all rule: widening it would move every existing rule.
const maxPriority = 49999;

/**
 * A rule's priority from the service's name alone (FNV-1a), so adding, removing or re-routing a service never moves
 * another's rule, which ALB would refuse mid-update with PriorityInUse. The default route has no rule (the listener's
 * default action serves it), so making another service the default route moves no priority either. Routes never
 * overlap (checked below), so their order does not matter.
 */
export function rulePriority(name: string): number {
    let hash = 0x811c9dc5;
    for (const char of Buffer.from(name, "utf8")) {
        hash = Math.imul(hash ^ char, 0x01000193) >>> 0;
    }
    return (hash % maxPriority) + 1;
}

/**
 * The routes of all services, in their order (none for a service the ALB does not route to), or the problems that
 * keep the web services from being routed unambiguously.
 */
export function planRoutes(requests: readonly RouteRequest[]): { routes: (ServiceRoute | undefined)[]; problems: RouteProblem[] } {
    const services = requests.filter((s) => (s.type ?? "web") === "web");
    const routes = new Map<RouteRequest, ServiceRoute>();
    const problems: RouteProblem[] = [];
    const defaults = services.filter((s) => s.pathPatterns.length === 0 && s.hostHeaders.length === 0);
    for (const extra of defaults.slice(1)) {
        problems.push({
            service: extra.name, field: "pathPatterns",
            message: `path patterns or host headers: only one service may be the default route, and ${defaults[0].name} already is`,
        });
    }
    // Every web service's name must hash apart, the default route's too, though it has no rule today: were it to get
    // a path while the service it collides with became the default route, one up would create its rule at the
    // priority the other's rule still holds until the end of the up (PriorityInUse).
    const priorities = new Map<number, string>();
    for (const service of services) {
        const isDefault = service.pathPatterns.length === 0 && service.hostHeaders.length === 0;
        const hash = rulePriority(service.name);
        if (priorities.has(hash)) {
            problems.push({
                service: service.name, field: "pathPatterns",
                message: `a service name whose rule priority (${hash}, derived from the name) differs from ${priorities.get(hash)}'s: rename one`,
            });
        }
        priorities.set(hash, service.name);
        routes.set(service, { pathPatterns: service.pathPatterns, hostHeaders: service.hostHeaders, priority: isDefault ? undefined : hash });
    }
    problems.push(...overlaps(services.filter((s) => !defaults.includes(s))));
    return { routes: requests.map((request) => routes.get(request)), problems };
}

// Two rules overlap when some request matches both: its host matches both host lists (an empty list
// matches any) and its path both pattern lists. ALB would then send it to whichever rule sorts first.
function overlaps(rules: readonly RouteRequest[]): RouteProblem[] {
    const problems: RouteProblem[] = [];
    rules.forEach((a, i) => {
        for (const b of rules.slice(i + 1)) {
            const hosts = listsIntersect(a.hostHeaders, b.hostHeaders, (x) => x.toLowerCase());
            const paths = listsIntersect(a.pathPatterns, b.pathPatterns, (x) => x);
            if (hosts && paths) {
                problems.push({
                    service: b.name, field: b.pathPatterns.length > 0 ? "pathPatterns" : "hostHeaders",
                    message: `routes that no other service's routes also match; some requests match both ${a.name} and ${b.name}`,
                });
            }
        }
    });
    return problems;
}

function listsIntersect(a: readonly string[], b: readonly string[], normal: (value: string) => string): boolean {
    if (a.length === 0 || b.length === 0) {
        return true;
    }
    return a.some((x) => b.some((y) => globsIntersect(normal(x), normal(y))));
}

/** Whether some string matches both ALB wildcard patterns (`*` any run of characters, `?` one character). */
export function globsIntersect(p: string, q: string): boolean {
    const memo = new Map<string, boolean>();
    const match = (i: number, j: number): boolean => {
        const key = `${i},${j}`;
        if (!memo.has(key)) {
            memo.set(key, step(i, j));
        }
        return memo.get(key) as boolean;
    };
    const step = (i: number, j: number): boolean => {
        if (i === p.length && j === q.length) {
            return true;
        }
        if (p[i] === "*") {
            return match(i + 1, j) || (j < q.length && match(i, j + 1));
        }
        if (q[j] === "*") {
            return match(i, j + 1) || (i < p.length && match(i + 1, j));
        }
        if (i === p.length || j === q.length) {
            return false;
        }
        return (p[i] === "?" || q[j] === "?" || p[i] === q[j]) && match(i + 1, j + 1);
    };
    return match(0, 0);
}

/**
 * The path a client requests to reach the service: the first pattern with each `*` matching nothing and each
 * `?` one letter, a path the rule matches. (Cutting the pattern at its first wildcard made "/*.html" and
 * "/v?/orders" into "/" and "/v", which the rule does not match: they went to the default route.)
 */
export function entryPath(route: ServiceRoute): string {
    const pattern = route.pathPatterns[0];
    return pattern === undefined ? "/" : pattern.replaceAll("*", "").replaceAll("?", "x");
}

/** The host header a client sends to reach the service, when it is routed by a literal host name. */
export function entryHost(route: ServiceRoute): string | undefined {
    const host = route.hostHeaders[0];
    return host !== undefined && !/[*?]/.test(host) ? host : undefined;
}
