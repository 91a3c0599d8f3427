import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { entryHost, entryPath, globsIntersect, planRoutes, RouteRequest, rulePriority, ServiceRoute } from "../infra/models/routing";

const route = (name: string, pathPatterns: string[] = [], hostHeaders: string[] = []): RouteRequest => ({ name, pathPatterns, hostHeaders });
const problemsOf = (...services: RouteRequest[]) => planRoutes(services).problems;
/** The planned route of the named service: planRoutes returns them in the services' order. */
function routeOf(services: RouteRequest[], name: string): ServiceRoute {
    const { routes } = planRoutes(services);
    assert.equal(routes.length, services.length);
    const index = services.findIndex((s) => s.name === name);
    assert.ok(index >= 0, name);
    const planned = routes[index];
    assert.ok(planned, `${name} is routed`);
    return planned;
}

// Plausible service names, as the config allows them (1-20 characters: lower-case letters, digits, single hyphens).
const plausibleNames = [
    "api", "web", "app", "orders", "payments", "users", "auth", "accounts", "billing", "cart", "catalog", "checkout",
    "search", "inventory", "shipping", "notifications", "email", "sms", "admin", "dashboard", "reports", "analytics",
    "metrics", "logs", "gateway", "frontend", "backend", "docs", "status", "health", "profile", "settings", "media",
    "images", "uploads", "files", "storage", "cdn", "chat", "messages", "feed", "comments", "reviews", "ratings",
    "recommendations", "pricing", "invoices", "subscriptions", "coupons", "promotions", "loyalty", "rewards", "wallet",
    "ledger", "transfers", "fraud", "risk", "kyc", "identity", "sessions", "tokens", "oauth", "sso", "ldap", "directory",
    "teams", "orgs", "projects", "tasks", "jobs", "scheduler", "queue", "worker", "events", "webhooks", "audit",
    "compliance", "export", "import", "sync", "backup", "graphql", "rest", "grpc", "ws", "socket", "stream", "video",
    "audio", "maps", "geo", "location", "tracking", "delivery", "drivers", "fleet", "booking", "calendar", "events-api",
    "tickets", "support", "helpdesk", "faq", "blog", "cms", "content", "pages", "landing", "marketing", "ads",
    "campaigns", "newsletter", "survey", "forms", "config", "flags", "features", "experiments", "ab-test", "admin-api",
    "public-api", "internal-api", "partner-api", "mobile-api", "web-app", "mobile", "ios", "android", "static",
    "assets", "preview", "sandbox", "staging", "demo", "legacy", "v1", "v2", "v3", "api-v1", "api-v2", "orders-v2",
    "users-v2", "search-v2", "health-check", "echo", "hello", "ping", "whoami", "proxy", "edge", "router", "registry",
    "discovery", "catalog-api", "cart-api", "order-service", "user-service", "auth-service", "payment-service", "mail",
    "push", "alerts", "monitor", "grafana", "kibana", "prometheus", "jaeger", "tracing", "store", "shop", "market",
    "quotes", "trades", "portfolio", "accounts-api", "balance", "statements", "loans", "cards", "atm", "branches",
    "customers", "crm", "erp", "hr", "payroll", "timesheets", "expenses", "procurement", "vendors", "suppliers",
    "warehouse", "returns", "refunds", "disputes", "chargebacks", "tax", "currency", "fx", "rates", "translations",
    "i18n", "locale", "help", "about", "contact", "careers", "legal", "privacy", "terms", "sitemap", "robots",
];

describe("rule priorities from names", () => {
    test("are FNV-1a of the name's UTF-8 bytes, folded into 1-49999: pinned", () => {
        // FNV-1a 32-bit of "a" is 0xe40c292c (the published test vector): 3826002220 % 49999 + 1.
        assert.equal(rulePriority("a"), 0xe40c292c % 49999 + 1);
        assert.equal(rulePriority("a"), 28742);
        assert.equal(rulePriority("app"), 34634);
        assert.equal(rulePriority("orders"), 26722);
        // Deterministic: the name alone decides, whatever else is routed.
        assert.equal(routeOf([route("orders", ["/orders/*"]), route("app")], "orders").priority, 26722);
        assert.equal(routeOf([route("x", ["/x"]), route("orders", ["/orders/*"])], "orders").priority, 26722);
    });

    test("stay within 1-49999, as when 50000 was the default route's rule: existing rules keep their priorities", () => {
        const names = [...plausibleNames, ...Array.from({ length: 5000 }, (_, i) => `s${i}`), "", "a".repeat(20)];
        for (const name of names) {
            const priority = rulePriority(name);
            assert.ok(Number.isInteger(priority) && priority >= 1 && priority <= 49999, `${name}: ${priority}`);
        }
    });

    test("differ across ~200 plausible service names", () => {
        assert.equal(new Set(plausibleNames).size, plausibleNames.length, "the list repeats a name");
        assert.ok(plausibleNames.length >= 200, `${plausibleNames.length} names`);
        const taken = new Map<number, string>();
        for (const name of plausibleNames) {
            assert.match(name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.ok(name.length <= 20, name);
            const priority = rulePriority(name);
            assert.equal(taken.get(priority), undefined, `${name} and ${taken.get(priority)} share priority ${priority}`);
            taken.set(priority, name);
        }
    });

    test("a collision is refused, naming both services: svc-801 and svc-1004 share 44849", () => {
        // 49999 values: by the birthday bound, n random names collide with odds of about n^2 / 100000
        // (some 9% at the 100-service limit), so planRoutes must catch it. This pair was found by search.
        assert.equal(rulePriority("svc-801"), 44849);
        assert.equal(rulePriority("svc-1004"), 44849);
        const { problems } = planRoutes([route("svc-801", [], ["a.example.com"]), route("svc-1004", [], ["b.example.com"])]);
        assert.deepEqual(problems, [{
            service: "svc-1004", field: "pathPatterns",
            message: "a service name whose rule priority (44849, derived from the name) differs from svc-801's: rename one",
        }]);
        // The default route has no rule, but its name must hash apart all the same: were svc-1004 to become the default
        // route and svc-801 to get a path in one up, svc-801's new rule would take 44849 while svc-1004's still held it.
        assert.deepEqual(problemsOf(route("svc-801"), route("svc-1004", ["/x/*"])), [{
            service: "svc-1004", field: "pathPatterns",
            message: "a service name whose rule priority (44849, derived from the name) differs from svc-801's: rename one",
        }]);
        assert.equal(problemsOf(route("svc-801", ["/x/*"]), route("svc-1004")).length, 1);
    });

    test("a service's priority does not change when another becomes, or stops being, the default route", () => {
        const before = planRoutes([route("app"), route("api", ["/api/*"]), route("orders", ["/orders/*"])]).routes;
        const after = planRoutes([route("app", ["/app/*"]), route("api"), route("orders", ["/orders/*"])]).routes;
        // The default route has no rule; every rule's priority is its own name's, whoever is the default route.
        assert.deepEqual(before.map((r) => r?.priority), [undefined, rulePriority("api"), rulePriority("orders")]);
        assert.deepEqual(after.map((r) => r?.priority), [rulePriority("app"), undefined, rulePriority("orders")]);
        const none = planRoutes([route("app", ["/app/*"]), route("api", ["/api/*"]), route("orders", ["/orders/*"])]).routes;
        assert.deepEqual(none.map((r) => r?.priority), ["app", "api", "orders"].map(rulePriority));
    });
});

describe("globsIntersect: some string matches both ALB patterns", () => {
    const cases: [p: string, q: string, intersect: boolean][] = [
        ["/api/*", "/api/orders/*", true],
        ["/orders", "/orders/*", false],
        ["/orders", "/orders*", true],
        ["/orders", "/orders", true],
        ["/orders", "/order", false],
        ["/a*", "/*b", true], // "/ab"
        ["/a*", "/b*", false],
        ["/a*b", "/b*a", false],
        ["*a*", "*b*", true], // "ab"
        ["/?", "/ab", false], // ? is exactly one character
        ["/??", "/ab", true],
        ["/a?c", "/a/c", true], // ? matches a slash too
        ["/a?c", "/ac", false],
        ["/a*c", "/ac", true], // * matches nothing too
        ["*", "", true],
        ["?", "", false],
        ["", "", true],
        ["*", "*", true],
        ["*?", "", false],
        ["?*?", "a", false],
        ["?*?", "ab", true],
        ["*.example.com", "api.example.com", true],
        ["*.example.com", "example.com", false],
        ["api.*.com", "*.example.*", true], // "api.example.com"
        ["/x/*/y", "/x/?/y", true],
        ["/x/*/y", "/x/y", false],
        ["/API/*", "/api/*", false], // case-sensitive: callers lower-case host names themselves
    ];
    for (const [p, q, expected] of cases) {
        test(`${JSON.stringify(p)} and ${JSON.stringify(q)}: ${expected ? "intersect" : "disjoint"}`, () => {
            assert.equal(globsIntersect(p, q), expected);
            assert.equal(globsIntersect(q, p), expected, "symmetric");
        });
    }

    test("agrees with brute force over every pattern of up to 3 of a, b, *, ?", () => {
        // A common string, if any, needs at most |p| + |q| characters, each a literal of p or q or any one for
        // ? against ? or *: strings of a and b up to length 6 are witnesses enough.
        const patterns = [""];
        for (let length = 1; length <= 3; length++) {
            patterns.push(...patterns.filter((p) => p.length === length - 1).flatMap((p) => ["a", "b", "*", "?"].map((c) => p + c)));
        }
        assert.equal(patterns.length, 1 + 4 + 16 + 64);
        const strings = [""];
        for (let length = 1; length <= 6; length++) {
            strings.push(...strings.filter((s) => s.length === length - 1).flatMap((s) => [s + "a", s + "b"]));
        }
        const matches = patterns.map((p) => {
            const regex = new RegExp(`^${p.replaceAll("*", ".*").replaceAll("?", ".")}$`);
            return strings.map((s) => regex.test(s));
        });
        patterns.forEach((p, i) => patterns.forEach((q, j) => {
            const expected = matches[i].some((m, k) => m && matches[j][k]);
            if (globsIntersect(p, q) !== expected) {
                assert.fail(`globsIntersect(${JSON.stringify(p)}, ${JSON.stringify(q)}) should be ${expected}`);
            }
        }));
    });
});

describe("planRoutes: overlapping routes", () => {
    test('"/api/*" and "/api/orders/*" overlap: the later service is named, with both', () => {
        assert.deepEqual(problemsOf(route("api", ["/api/*"]), route("orders", ["/api/orders/*"])), [{
            service: "orders", field: "pathPatterns",
            message: "routes that no other service's routes also match; some requests match both api and orders",
        }]);
    });

    test('"/orders" and "/orders/*" do not overlap', () => {
        const { routes, problems } = planRoutes([route("orders", ["/orders"]), route("items", ["/orders/*"])]);
        assert.deepEqual(problems, []);
        assert.deepEqual(routes, [
            { pathPatterns: ["/orders"], hostHeaders: [], priority: rulePriority("orders") },
            { pathPatterns: ["/orders/*"], hostHeaders: [], priority: rulePriority("items") },
        ]);
    });

    test('"/a*" and "/*b" overlap: both match "/ab"', () => {
        const problems = problemsOf(route("a", ["/a*"]), route("b", ["/*b"]));
        assert.equal(problems.length, 1);
        assert.equal(problems[0].service, "b");
        assert.match(problems[0].message, /some requests match both a and b/);
    });

    test("host headers compare case-insensitively", () => {
        assert.deepEqual(problemsOf(route("upper", [], ["API.example.com"]), route("lower", [], ["api.example.com"])), [{
            service: "lower", field: "hostHeaders",
            message: "routes that no other service's routes also match; some requests match both upper and lower",
        }]);
        // A wildcard host covers the literal one.
        assert.equal(problemsOf(route("any", [], ["*.EXAMPLE.com"]), route("api", [], ["api.example.com"])).length, 1);
        assert.deepEqual(problemsOf(route("api", [], ["api.example.com"]), route("www", [], ["www.example.com"])), []);
    });

    test("a path-only rule and a host-only rule overlap: a request can match both", () => {
        // GET api.example.com/docs/x matches both. The field named is the later service's condition.
        assert.deepEqual(problemsOf(route("docs", ["/docs/*"]), route("api", [], ["api.example.com"])).map((p) => [p.service, p.field]), [["api", "hostHeaders"]]);
        assert.deepEqual(problemsOf(route("api", [], ["api.example.com"]), route("docs", ["/docs/*"])).map((p) => [p.service, p.field]), [["docs", "pathPatterns"]]);
    });

    test("the same path on different literal hosts does not overlap; on the same or a wildcard host it does", () => {
        assert.deepEqual(problemsOf(route("a", ["/x/*"], ["a.example.com"]), route("b", ["/x/*"], ["b.example.com"])), []);
        assert.equal(problemsOf(route("a", ["/x/*"], ["a.example.com"]), route("b", ["/x/*"], ["A.example.com"])).length, 1);
        assert.equal(problemsOf(route("a", ["/x/*"], ["a.example.com"]), route("b", ["/x/*"], ["?.example.com"])).length, 1);
        // The same host with disjoint paths does not.
        assert.deepEqual(problemsOf(route("a", ["/x/*"], ["a.example.com"]), route("b", ["/y/*"], ["a.example.com"])), []);
    });

    test("paths compare case-sensitively, as ALB matches them", () => {
        assert.deepEqual(problemsOf(route("upper", ["/API/*"]), route("lower", ["/api/*"])), []);
    });

    test("any pair of patterns of the two lists is enough to overlap", () => {
        assert.equal(problemsOf(route("a", ["/x", "/y/*"]), route("b", ["/z", "/y/1"])).length, 1);
        assert.deepEqual(problemsOf(route("a", ["/x", "/y/*"]), route("b", ["/z", "/w/*"])), []);
    });

    test("every overlapping pair is reported, each naming the later service", () => {
        const problems = problemsOf(route("one", ["/a/*"]), route("two", ["/a/b/*"]), route("three", ["/a/b/c"]), route("four", ["/z"]));
        assert.deepEqual(problems.map((p) => p.message.replace(/^.*match both /, "")), ["one and two", "one and three", "two and three"]);
        assert.deepEqual(problems.map((p) => p.service), ["two", "three", "three"]);
    });
});

describe("planRoutes: the default route", () => {
    test("one service without paths or hosts is the default route: no rule priority, and no overlap with the rules", () => {
        const services = [route("app"), route("all", ["/*"]), route("api", [], ["api.example.com"])];
        const { routes, problems } = planRoutes(services);
        // all and api overlap each other (a rule matching every path), but not the default route.
        assert.deepEqual(problems.map((p) => p.message.replace(/^.*match both /, "")), ["all and api"]);
        assert.deepEqual(routes, [
            { pathPatterns: [], hostHeaders: [], priority: undefined },
            { pathPatterns: ["/*"], hostHeaders: [], priority: rulePriority("all") },
            { pathPatterns: [], hostHeaders: ["api.example.com"], priority: rulePriority("api") },
        ]);
        assert.equal(entryPath(routeOf(services, "app")), "/");
    });

    test("a second default route is refused, naming it and the first", () => {
        assert.deepEqual(problemsOf(route("app"), route("orders", ["/orders/*"]), route("web")), [{
            service: "web", field: "pathPatterns",
            message: "path patterns or host headers: only one service may be the default route, and app already is",
        }]);
        const three = problemsOf(route("a"), route("b"), route("c"));
        assert.deepEqual(three.map((p) => [p.service, p.message.endsWith("and a already is")]), [["b", true], ["c", true]]);
        // No overlap is reported between default routes: only the default-route problem.
        assert.equal(three.length, 2);
    });

    test("no default route at all is fine: the listener's default action answers the rest", () => {
        const { routes, problems } = planRoutes([route("orders", ["/orders/*"]), route("users", ["/users/*"])]);
        assert.deepEqual(problems, []);
        assert.deepEqual(routes.map((r) => r?.priority), [rulePriority("orders"), rulePriority("users")]);
    });
});

describe("entryPath and entryHost: how a client reaches the service", () => {
    const served = (pathPatterns: string[], hostHeaders: string[] = []): ServiceRoute => ({ pathPatterns, hostHeaders, priority: 1 });

    test("the default route is reached at / with no host header", () => {
        const defaultRoute: ServiceRoute = { pathPatterns: [], hostHeaders: [] };
        assert.equal(entryPath(defaultRoute), "/");
        assert.equal(entryHost(defaultRoute), undefined);
    });

    test("paths: the first pattern, its wildcards matching as little as they may", () => {
        assert.equal(entryPath(served(["/orders/*"])), "/orders/");
        assert.equal(entryPath(served(["/orders"])), "/orders");
        assert.equal(entryPath(served(["/api*"])), "/api");
        assert.equal(entryPath(served(["/v2/*", "/v1/*"])), "/v2/");
        assert.equal(entryPath(served([], ["api.example.com"])), "/");
    });

    test("the entry path is one the service's rule matches, wherever the wildcards sit", () => {
        for (const pattern of ["/orders/*", "/orders", "/api*", "/*", "/*.html", "/v?/orders", "/api/*/items", "/a?c*", "/??"]) {
            const path = entryPath(served([pattern]));
            assert.doesNotMatch(path, /[*?]/, pattern);
            assert.ok(path.startsWith("/"), `${pattern}: ${path}`);
            // A literal path against the pattern: intersecting is matching.
            assert.ok(globsIntersect(path, pattern), `${pattern}: ${path} does not match it`);
        }
    });

    test("hosts: the first host header when it is a literal name, else none", () => {
        assert.equal(entryHost(served([], ["api.example.com", "*.example.com"])), "api.example.com");
        assert.equal(entryHost(served(["/x/*"], ["*.example.com"])), undefined);
        assert.equal(entryHost(served([], ["api?.example.com"])), undefined);
        assert.equal(entryHost(served(["/x/*"])), undefined);
    });
});
