// Service types: a web service calling a backend over Service Connect, a worker that takes no traffic, and a job run on
// a schedule (tests/jobs.test.ts tests the job's own resources). What each
// type gets (and does not), the namespace and the hosts' self-ingress, the capacity and cost counting the proxy, and
// each bad combination refused before anything is registered, naming the key and its value.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError } from "../infra/config";
import { dynamicHostPorts } from "../infra/models/hostUserData";
import { serviceConnectProxy } from "../infra/models/serviceConnect";
import { stackConfigFile } from "../offline/stackFiles";
import { all, assertRefusedBeforeRegistering, input, Json, services, state, T } from "./resources";
import { deployed } from "./shared";

const namespaceType = "aws:servicediscovery/httpNamespace:HttpNamespace";
const run = () => deployed(stackConfigFile("microservices"), { stack: "microservices" });
const containerOf = (definition: Json) => (JSON.parse(String(definition.containerDefinitions)) as Json[])[0];

describe("a web service calling a backend, a worker and a job (Pulumi.microservices.yaml)", () => {
    test("only the web service has a target group, a route and ALB alarms", async () => {
        const d = await run();
        assert.deepEqual(all(d, T.targetGroup).map((r) => r.name), ["app-tg"]);
        // app is the default route: the listener's default action forwards to it, and no other service has a rule.
        assert.deepEqual(all(d, T.listenerRule).map((r) => r.name), []);
        assert.deepEqual(input(d, T.listener).defaultActions, [{ type: "forward", targetGroupArn: state(d, T.targetGroup, "app-tg").arn }]);
        assert.deepEqual(all(d, T.alarm).map((r) => r.name).filter((name) => !name.includes("-service-")).sort(),
            ["app-5xx-rate", "app-target-connection-errors", "app-unhealthy-targets", "report-failed-runs"]);
        for (const name of ["orders", "mailer"]) {
            const service = input(d, T.service, `${name}-service`);
            assert.equal(service.loadBalancers, undefined, name);
            assert.equal(service.healthCheckGracePeriodSeconds, undefined, name);
            assert.equal(service.alarms, undefined, `${name}: no ALB alarms to roll back on`);
            assert.deepEqual(service.deploymentCircuitBreaker, { enable: true, rollback: true }, name);
        }
    });

    test("the stack owns an HTTP namespace, the cluster's Service Connect default", async () => {
        const d = await run();
        const namespace = all(d, namespaceType);
        assert.equal(namespace.length, 1);
        assert.equal((namespace[0].inputs as Json).name, "ecs-on-ec2-microservices");
        const arn = (namespace[0].state as Json).arn;
        assert.deepEqual(input(d, T.cluster).serviceConnectDefaults, { namespace: arn });
    });

    test("the web service is a Service Connect client, the backend a server named after itself", async () => {
        const d = await run();
        const arn = (all(d, namespaceType)[0].state as Json).arn;
        assert.deepEqual(input(d, T.service, "app-service").serviceConnectConfiguration, { enabled: true, namespace: arn });
        assert.deepEqual(input(d, T.service, "orders-service").serviceConnectConfiguration, {
            enabled: true, namespace: arn,
            services: [{ portName: "orders", discoveryName: "orders", clientAlias: [{ port: 8080, dnsName: "orders" }] }],
        });
        assert.equal(input(d, T.service, "mailer-service").serviceConnectConfiguration, undefined);
        const orders = containerOf(input(d, T.taskDefinition, "orders-task-definition"));
        assert.deepEqual(orders.portMappings, [{ containerPort: 8080, hostPort: 0, protocol: "tcp", name: "orders", appProtocol: "http" }]);
        assert.equal(input(d, T.taskDefinition, "orders-task-definition").networkMode, "bridge");
    });

    test("the worker maps no port", async () => {
        const d = await run();
        assert.deepEqual(containerOf(input(d, T.taskDefinition, "mailer-task-definition")).portMappings, []);
    });

    test("the hosts admit their own group on the dynamic host ports only, for Service Connect", async () => {
        const d = await run();
        const self = [...all(d, T.ingress), ...all(d, T.egress)].filter((r) => r.name.startsWith("hosts-to-hosts"));
        assert.deepEqual(self.map((r) => r.name).sort(), ["hosts-to-hosts-egress", "hosts-to-hosts-ingress"]);
        for (const rule of self.map((r) => r.inputs as Json)) {
            assert.equal(rule.securityGroupId, rule.referencedSecurityGroupId);
            assert.deepEqual([rule.ipProtocol, rule.fromPort, rule.toPort], ["tcp", dynamicHostPorts.from, dynamicHostPorts.to]);
            assert.equal(rule.cidrIpv4, undefined);
        }
    });

    test("backends and workers scale on CPU only; the web service on requests too", async () => {
        const d = await run();
        const policies = all(d, T.scalingPolicy).map((r) => r.name).sort();
        assert.deepEqual(policies, ["app-service-cpu", "app-service-requests-per-target", "mailer-service-cpu", "orders-service-cpu"]);
    });

    test("a task on Service Connect counts the proxy's CPU and memory in the capacity check, but sets no task-level hard limit", async () => {
        const d = await run();
        for (const name of ["app", "orders", "mailer"]) {
            const definition = input(d, T.taskDefinition, `${name}-task-definition`);
            // On EC2 Linux the agent enforces task-level cpu and memory as hard limits: none is set.
            assert.deepEqual([definition.cpu, definition.memory], [undefined, undefined], name);
        }
        const hosts = d.report?.capacity;
        assert.ok(hosts);
        // 2 hosts of 2048 CPU units: app and orders 2 tasks of 128 + the proxy's ${serviceConnectProxy.cpuUnits} each, mailer 1 of 128, a run of report 1 of 128.
        assert.equal(serviceConnectProxy.cpuUnits, 256);
        assert.match(JSON.stringify(hosts), /2304/);
    });

    test("the cost estimate has no ALB alarms for the backend and worker, and a Service Connect line", async () => {
        const d = await run();
        const lines = d.report?.estimate.min.lines ?? [];
        assert.equal(lines.find((l) => l.item === "alarm metrics")?.quantity, 8 + 2 + 2 + 1);
        assert.ok(lines.some((l) => l.service === "Cloud Map" && l.status === "free"));
    });

    test("the outputs give each service its type; only the web service a URL and target group", async () => {
        const d = await run();
        const outputs = d.outputs.services as Record<string, Json>;
        assert.deepEqual(Object.fromEntries(Object.entries(outputs).map(([name, o]) => [name, o.type])),
            { app: "web", mailer: "worker", orders: "backend", report: "job" });
        assert.ok(typeof outputs.app.url === "string" && typeof outputs.app.targetGroupArn === "string");
        for (const name of ["orders", "mailer"]) {
            assert.equal(outputs[name].url, undefined);
            assert.equal(outputs[name].targetGroupArn, undefined);
        }
        assert.equal(outputs.orders.serviceConnectUrl, "http://orders:8080");
    });

    test("a stack with no service on Service Connect has no namespace and no self-ingress", async () => {
        const d = await deployed(services({ app: {}, mailer: { type: "worker", desiredCount: 1, maxCount: 1, azLossFloor: 0 } }));
        assert.equal(all(d, namespaceType).length, 0);
        assert.equal(input(d, T.cluster).serviceConnectDefaults, undefined);
        assert.ok(!all(d, T.ingress).some((r) => r.name.startsWith("hosts-to-hosts")));
    });
});

describe("bad service types are refused before anything is registered, naming the key and value", () => {
    const literal = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
    const refused = (service: object, key: string, value: string, reason: RegExp) => assertRefusedBeforeRegistering(
        services({ app: {}, other: service }), ConfigError,
        [literal(`'ecs-on-ec2:services.other.${key}'`), literal(`got ${JSON.stringify(value)}`), reason]);

    test("an unknown type", () => refused({ type: "cron" }, "type", "cron", /one of web, backend, worker, job/));
    test("routes on a worker", () => refused({ type: "worker", pathPatterns: ["/mail/*"] }, "pathPatterns", "[\"/mail/*\"]", /no pathPatterns on a worker/));
    test("host headers on a backend", () => refused({ type: "backend", hostHeaders: ["orders.example.com"] }, "hostHeaders",
        "[\"orders.example.com\"]", /no hostHeaders on a backend/));
    test("a health path on a worker", () => refused({ type: "worker", healthCheckPath: "/health" }, "healthCheckPath", "/health",
        /no healthCheckPath on a worker/));
    test("request-count autoscaling on a worker", () => refused({ type: "worker", autoscaling: { requestsPerTarget: 500 } },
        "autoscaling.requestsPerTarget", "500", /no autoscaling\.requestsPerTarget on a worker/));
    test("connect false on a backend", () => refused({ type: "backend", connect: false }, "connect", "false", /a backend is reached only through Service Connect/));
    test("connect on a worker", () => refused({ type: "worker", connect: true }, "connect", "true", /no connect on a worker/));
    test("a port on a worker", () => refused({ type: "worker", containerPort: 9000 }, "containerPort", "9000", /no containerPort on a worker/));
});
