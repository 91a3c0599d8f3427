// What `pulumi preview` catches before anything exists: configs the hosts cannot hold (refused, nothing
// registered), an AZ loss below the floor (a warning); and what the fake AWS refuses, as AWS would.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { getRegion } from "@pulumi/aws/getRegion";
import * as ec2 from "@pulumi/aws/ec2";
import * as dynamodb from "@pulumi/aws/dynamodb";
import { ConfigError } from "../infra/config";
import { CapacityError } from "../infra/program";
import { AwsRejection } from "../offline/fakeAws";
import { deploy } from "../offline/run";
import { assertRefusedBeforeAwsResources, assertRefusedBeforeRegistering, services, stackProvider } from "./resources";
import { deployed } from "./shared";


describe("capacity check before anything is registered", () => {
    const devRun = deployed();
    test("the dev stack fits, and keeps the AZ-loss floor without a warning", async () => {
        assert.deepEqual((await devRun).warnings, []);
    });

    test("tasks that do not fit on the minimum hosts are refused, with the numbers", () =>
        assertRefusedBeforeRegistering({ instanceType: "t3.micro", ...services({ app: { memory: 512 } }) }, CapacityError, [
            /Service app: the desired count does not fit on the Auto Scaling group's minimum hosts: 5 tasks of 512 MiB and 128 CPU units each need more than 2 x t3.micro/,
            /At most 2 tasks fit \(1 per host, bound by registered memory\)/,
        ]));

    test("a second service that does not fit beside the first is refused by name, nothing registered", () =>
        assertRefusedBeforeRegistering(services({ app: {}, big: { pathPatterns: ["/big/*"], memory: 1536, desiredCount: 2, maxCount: 2, azLossFloor: 1 } }),
            CapacityError, [/Service big: the desired count does not fit .* beside the tasks other services hold there \(5 of app\)/]));

    test("a deploy surge of the autoscaling maximum that the ASG's maximum cannot hold is refused", () =>
        // 10 tasks at 200 % is 20 of 512 MiB: the maximum 2 hosts hold only 6.
        assertRefusedBeforeRegistering({ asgMaxSize: "2", ...services({ app: { memory: 512 } }) }, CapacityError,
            [/Service app: a rolling deploy at the autoscaling maximum cannot be placed: .* run up to 20 at once/]));

    const threeTasksRun = deployed(services({ app: { desiredCount: 3 } }));
    test("losing the busiest AZ below the floor is a warning naming the service, not an error", async () => {
        const three = await threeTasksRun;
        assert.equal(three.warnings.length, 1);
        assert.match(three.warnings[0], /Service app: losing us-east-1a, the AZ with the most of its tasks \(2 of 3\), would leave 1 task running in us-east-1b, below the AZ-loss floor of 2/);
        assert.ok(three.resources.length > 0);
    });
});

const previewRun = deployed({}, { preview: true });
test("pulumi preview prints the capacity summary and the monthly cost estimate", async () => {
    const preview = await previewRun;
    assert.ok(preview.infos.some((info) => /^Capacity:\nhosts: 2 x t3.small at the minimum, up to 4\nservice app: us-east-1a 3/.test(info)), preview.infos.join("\n"));
    assert.ok(preview.infos.some((info) => /^Monthly cost estimate: us-east-1, USD/.test(info)));
    const up = await deployed();
    assert.deepEqual(up.infos, [], "an up is not a review: it prints neither");
});

describe("the fake AWS is as strict as AWS, and answers nothing it does not know", () => {
    test("an input AWS refuses fails the run, naming resource, property, value and rule", async () => {
        await assert.rejects(deploy({}, [], {
            run: async () => {
                new ec2.SecurityGroup("alb-security-group", { description: "ALB to the tasks' dynamic ports" }, { provider: stackProvider() });
                return {};
            },
        }), (error: Error) => {
            assert.ok(error instanceof AwsRejection, error.message);
            assert.match(error.message, /aws:ec2\/securityGroup:SecurityGroup alb-security-group: description = "ALB to the tasks' dynamic ports" is refused: /);
            return true;
        });
    });

    test("a resource type it has no rules for fails the run", async () => {
        await assert.rejects(deploy({}, [], { run: async () => { new dynamodb.Table("table", { hashKey: "id", attributes: [{ name: "id", type: "S" }] }); return {}; } }),
            /resource type aws:dynamodb\/table:Table \(table\) is not known to the fake AWS/);
    });

    test("an invoke it cannot answer fails the run instead of hanging", async () => {
        await assert.rejects(deploy({}, [], { run: async () => ({ region: (await getRegion()).name }) }),
            /invoke aws:index\/getRegion:getRegion is not known to the fake AWS/);
    });

    test("an invoke AWS would answer with an error fails the run", async () => {
        await assert.rejects(deploy({}, [], {
            run: async () => ({ subnet: (await ec2.getSubnet({ vpcId: "vpc-0000000000000d1f0", availabilityZone: "us-east-1z", defaultForAz: true },
                { provider: stackProvider() })).id }),
        }), /getSubnet: no matching subnet found .*us-east-1z/);
    });

    test("a region it knows no AZs of is refused, not guessed", async () => {
        await assert.rejects(deploy({ "aws:region": "mx-central-1", availabilityZones: JSON.stringify(["mx-central-1a", "mx-central-1b"]) }),
            /the fake AWS knows no AZs of mx-central-1/);
    });
});

describe("AZs that cannot hold the hosts are refused before any AWS resource is registered", () => {
    test("an AZ that does not offer the instance type (this fake account's us-east-1e is use1-az3, which has no t3), naming the AZ and the type", () =>
        assertRefusedBeforeAwsResources({ availabilityZones: JSON.stringify(["us-east-1a", "us-east-1e"]) }, ConfigError, [
            /'ecs-on-ec2:availabilityZones': got "\[\\"us-east-1a\\",\\"us-east-1e\\"\]"; expected AZs that offer the hosts' instance type t3\.small \(us-east-1e does not/,
        ]));

    test("the same AZ with a type it offers is accepted", async () => {
        const run = await deployed({ availabilityZones: JSON.stringify(["us-east-1a", "us-east-1e"]), instanceType: "m5.large" });
        const [offerings] = run.invokes.filter((i) => i.token === "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings");
        assert.deepEqual(offerings.inputs, {
            locationType: "availability-zone",
            filters: [{ name: "instance-type", values: ["m5.large"] }, { name: "location", values: ["us-east-1a", "us-east-1e"] }],
        });
    });
});

describe("names AWS would refuse are refused before anything is registered", () => {
    test("a stack name with a period, which ECS refuses in the cluster name", () =>
        assertRefusedBeforeRegistering({}, Error, [/Stack name "prod.eu" cannot be used: it becomes part of the ECS cluster's/], { stack: "prod.eu" }));

    const domainName = `${"a".repeat(60)}.example.com`;
    const withCertificateRun = deployed({ domainName, certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b" });
    test("a domain over 64 characters when the stack requests its certificate; an existing certificate may cover it", async () => {
        await assertRefusedBeforeRegistering({ domainName, hostedZoneId: "Z0123456789ABCDEFGHIJ" }, Error,
            [/'ecs-on-ec2:domainName': got "a{60}\.example\.com"; expected a name of at most 64 characters for a certificate the stack requests/]);
        assert.equal((await withCertificateRun).outputs.url, `https://${domainName}`);
    });
});
