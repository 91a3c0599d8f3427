// What a service's container runs with, by where its image comes from: app-image's contract (its non-root
// user, read-only root, self-check and ASP.NET variables) for a service built from app-image, and for any
// other image what works for any image, unless the service sets otherwise.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { ConfigError, parseStackConfig } from "../infra/config";
import { isAppHealthCheckPath } from "../infra/config/services";
import { repoRoot } from "../infra/paths";
import type { Deployment } from "../offline/run";
import { project, withProjectDefaults } from "../offline/stackFiles";
import { assertRefusedBeforeRegistering, input, Json, services, T } from "./resources";
import { deployed } from "./shared";

const containerOf = (deployment: Deployment, service: string) =>
    (JSON.parse(String(input(deployment, T.taskDefinition, `${service}-task-definition`).containerDefinitions)) as Json[])[0];
const configOf = (value: unknown) => parseStackConfig(project, withProjectDefaults({ "aws:region": "us-east-1", [`${project}:services`]: JSON.stringify(value) }));
const serviceOf = (value: unknown, name = "app") => configOf(value).services.find((s) => s.name === name);

// A folder with a Dockerfile that is not app-image: an image this repository builds but knows nothing of.
const otherImageDirectory = "tests/fixtures/other-image";

describe("a service's container, by its image", () => {
    test("built from app-image: the app's user, read-only root, self-check and ASP.NET variables", async () => {
        const container = containerOf(await deployed(), "app");
        assert.equal(container.user, "1654:1654");
        assert.equal(container.readonlyRootFilesystem, true);
        assert.deepEqual((container.healthCheck as Json).command, ["CMD", "/app/EcsApp", "--health-check"]);
        assert.deepEqual((container.environment as Json[]).map((e) => e.name), ["ASPNETCORE_HTTP_PORTS", "HEALTH_CHECK_PATH", "SHUTDOWN_TIMEOUT_SECONDS"]);
        assert.equal(container.command, undefined);
    });

    test("any other image: its own USER and CMD, a writable root, no container health command, none of the app's variables", () => {
        const other = serviceOf({ app: {}, other: { image: "lobster1234/tomcat:8.5.20", hostHeaders: ["tomcat.example.com"], healthCheckPath: "/" } }, "other");
        assert.deepEqual([other?.user, other?.readonlyRootFilesystem, other?.healthCheckCommand, other?.command, other?.appImage],
            [undefined, false, [], undefined, false]);
        const built = serviceOf({ app: { imageDirectory: otherImageDirectory } });
        assert.deepEqual([built?.user, built?.readonlyRootFilesystem, built?.healthCheckCommand, built?.appImage], [undefined, false, [], false]);
    });

    test("each of command, user, readonlyRootFilesystem and healthCheckCommand set per service, for any image", () => {
        const set = { command: ["catalina.sh", "run"], user: "1000:1000", readonlyRootFilesystem: true, healthCheckCommand: ["curl", "-f", "http://localhost:8080/"] };
        const other = serviceOf({ app: {}, other: { image: "tomcat:8.5.20", hostHeaders: ["t.example.com"], healthCheckPath: "/", ...set } }, "other");
        assert.deepEqual([other?.command, other?.user, other?.readonlyRootFilesystem, other?.healthCheckCommand],
            [set.command, set.user, set.readonlyRootFilesystem, set.healthCheckCommand]);
        const app = serviceOf({ app: { readonlyRootFilesystem: false, healthCheckCommand: [], user: "app" } });
        assert.deepEqual([app?.readonlyRootFilesystem, app?.healthCheckCommand, app?.user], [false, [], "app"]);
    });

    test("the container definition carries what the service runs with, and leaves out what it leaves to the image", async () => {
        const run = await deployed(services({
            app: {},
            other: { imageDirectory: otherImageDirectory, hostHeaders: ["other.example.com"], healthCheckPath: "/", environment: { ASPNETCORE_HTTP_PORTS: "9090" }, command: ["node", "app.js"] },
        }));
        const container = containerOf(run, "other");
        assert.deepEqual([container.user, container.readonlyRootFilesystem, container.healthCheck, container.command], [undefined, false, undefined, ["node", "app.js"]]);
        assert.deepEqual(container.environment, [{ name: "ASPNETCORE_HTTP_PORTS", value: "9090" }], "app-image's names are free for other images");
        assert.equal(input(run, T.targetGroup, "other-tg").healthCheck && (input(run, T.targetGroup, "other-tg").healthCheck as Json).path, "/");
    });
});

describe("the health-check path: app-image's services under the app's own rule", () => {
    const table = JSON.parse(fs.readFileSync(path.join(repoRoot, "app-image", "tests", "EcsApp.Tests", "Fixtures", "health-check-paths.json"), "utf8")) as
        { accepted: string[]; refused: string[] };

    test("the stack's rule gives the app's verdict on every case of the table the app's tests check too", () => {
        assert.deepEqual(table.accepted.filter((p) => !isAppHealthCheckPath(p)), []);
        assert.deepEqual(table.refused.filter((p) => isAppHealthCheckPath(p)), []);
    });

    test("a path the app would refuse at start is refused by config for app-image's services, before anything is registered", async () => {
        for (const refused of ["/", "/delay/1", "/.."]) {
            await assertRefusedBeforeRegistering(services({ app: { healthCheckPath: refused } }), ConfigError,
                [new RegExp(`'${project}:services\\.app\\.healthCheckPath': got "${refused.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}"; expected .*the app image's own rule`)]);
        }
    });

    test("any other image may use /, as the seed's Tomcat does", () => {
        assert.equal(serviceOf({ app: {}, tomcat: { image: "lobster1234/tomcat:8.5.20", hostHeaders: ["t.example.com"], healthCheckPath: "/" } }, "tomcat")?.healthCheckPath, "/");
    });
});

describe("bad input for the new keys, refused before anything is registered", () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
        ["both image and imageDirectory", { image: "tomcat:8.5.20", imageDirectory: "app-image" }, /services\.app\.image'.*exactly one of image and imageDirectory/],
        ["an image reference that is not one", { image: "Tomcat:latest" }, /services\.app\.image': got "Tomcat:latest"; expected an image reference/],
        ["a digest that is not sha256 hex", { image: "tomcat@sha256:1234" }, /services\.app\.image': got "tomcat@sha256:1234"/],
        ["a command that is not a list", { command: "catalina.sh run" }, /services\.app\.command': got "catalina.sh run"; expected a list of command arguments/],
        ["an empty command argument", { command: ["run", ""] }, /services\.app\.command\.1': got ""; expected a non-empty argument/],
        ["a user ECS would not take", { user: "root user" }, /services\.app\.user': got "root user"; expected a user or uid/],
        ["readonlyRootFilesystem not a boolean", { readonlyRootFilesystem: "yes" }, /services\.app\.readonlyRootFilesystem': got "yes"; expected true or false/],
        ["a health command that is not a list", { healthCheckCommand: "curl -f /" }, /services\.app\.healthCheckCommand': got "curl -f \/"; expected a list of command arguments/],
        ["app-image's own variable set on an app-image service", { environment: { HEALTH_CHECK_PATH: "/x" } }, /services\.app\.environment\.HEALTH_CHECK_PATH'.*which the stack sets for app-image/],
    ];
    for (const [what, app, message] of cases) {
        test(what, () => assertRefusedBeforeRegistering(services({ app }), ConfigError, [message]));
    }
});

describe("review findings on the per-service keys", () => {
    test("a health command written in ECS's own form is refused: the stack adds CMD itself", () =>
        assertRefusedBeforeRegistering(services({ app: { healthCheckCommand: ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"] } }),
            ConfigError, [/services\.app\.healthCheckCommand'.*the stack adds ECS's CMD itself/]));
    test("app-image's own variables cannot come from secrets either", () =>
        assertRefusedBeforeRegistering(services({ app: { secrets: { HEALTH_CHECK_PATH: "arn:aws:ssm:us-east-1:123456789012:parameter/path" } } }),
            ConfigError, [/services\.app\.secrets\.HEALTH_CHECK_PATH'.*which the stack sets for app-image/]));
});
