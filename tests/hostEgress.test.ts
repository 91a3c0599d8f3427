// hostEgress: extra outbound rules of the hosts' security group (to a database, a cache, a mail relay), each one
// aws.vpc.SecurityGroupEgressRule named by what it opens; the hostSecurityGroupId output a database's group admits;
// and every bad rule refused before anything is registered, with the key, the value and what is allowed.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { ConfigError, parseStackConfig } from "../infra/config";
import { resourceRules } from "../offline/awsRules";
import { Deployment, RegisteredResource } from "../offline/run";
import { project, withProjectDefaults } from "../offline/stackFiles";
import { planOf } from "../scripts/plan";
import { all, assertRefusedBeforeRegistering, state, T } from "./resources";
import { deployed } from "./shared";

const ordersDb = { port: 5432, securityGroupId: "sg-0123456789abcdef0", description: "Postgres orders-db" };
const redis = { fromPort: 6379, toPort: 6380, cidr: "10.20.0.0/16", description: "Redis & Sentinel in the shared VPC" };
const mailRelays = { port: 587, protocol: "tcp", prefixListId: "pl-0a1b2c3d4e5f60718", description: "SMTP submission to the mail relays" };
// The same list tests/apiConstraintsSent.test.ts runs, so that the fake's rules see each kind of destination.
const example = [ordersDb, redis, mailRelays];
const hostEgress = (rules: unknown) => ({ hostEgress: JSON.stringify(rules) });

/** The egress rules of the hosts' security group, by logical name. */
function hostEgressRules(deployment: Deployment): Map<string, RegisteredResource> {
    const hostGroup = state(deployment, T.securityGroup, "host-security-group").id;
    return new Map(all(deployment, T.egress).filter((r) => r.inputs.securityGroupId === hostGroup).map((r) => [r.name, r]));
}

describe("hostEgress: a stack whose services reach a database, a cache and mail relays", () => {
    let stack: Deployment;
    let plain: Deployment;
    const exampleRun = deployed(hostEgress(example));
    const defaultRun = deployed();
    before(async () => { [stack, plain] = await Promise.all([exampleRun, defaultRun]); });

    test("each rule is one egress rule on the hosts' security group, with exactly the inputs it asks for", () => {
        const hostGroup = state(stack, T.securityGroup, "host-security-group").id;
        const rules = hostEgressRules(stack);
        assert.deepEqual([...rules.keys()].sort(), [
            "host-egress-tcp-5432-to-sg-0123456789abcdef0",
            "host-egress-tcp-587-to-pl-0a1b2c3d4e5f60718",
            "host-egress-tcp-6379-6380-to-10.20.0.0-16",
            "hosts-to-aws-apis",
        ]);
        const inputs = (name: string) => rules.get(name)?.inputs;
        assert.deepEqual(inputs("host-egress-tcp-5432-to-sg-0123456789abcdef0"), {
            securityGroupId: hostGroup, description: "Postgres orders-db", ipProtocol: "tcp", fromPort: 5432, toPort: 5432,
            referencedSecurityGroupId: "sg-0123456789abcdef0",
        });
        assert.deepEqual(inputs("host-egress-tcp-6379-6380-to-10.20.0.0-16"), {
            securityGroupId: hostGroup, description: "Redis & Sentinel in the shared VPC", ipProtocol: "tcp", fromPort: 6379, toPort: 6380,
            cidrIpv4: "10.20.0.0/16",
        });
        assert.deepEqual(inputs("host-egress-tcp-587-to-pl-0a1b2c3d4e5f60718"), {
            securityGroupId: hostGroup, description: "SMTP submission to the mail relays", ipProtocol: "tcp", fromPort: 587, toPort: 587,
            prefixListId: "pl-0a1b2c3d4e5f60718",
        });
        for (const name of rules.keys()) {
            assert.equal(rules.get(name)?.parent, "network", `${name} belongs to the Network component`);
        }
    });

    test("the stack outputs hostSecurityGroupId, the hosts' group, for a database's group to admit", () => {
        const hostGroup = state(stack, T.securityGroup, "host-security-group").id;
        assert.match(String(hostGroup), /^sg-[0-9a-f]{17}$/);
        assert.equal(stack.outputs.hostSecurityGroupId, hostGroup);
        assert.equal(plain.outputs.hostSecurityGroupId, state(plain, T.securityGroup, "host-security-group").id);
    });

    test("the rules add to the stack and change nothing else: the default stack keeps only HTTPS out", () => {
        const added = new Set(["host-egress-tcp-5432-to-sg-0123456789abcdef0", "host-egress-tcp-587-to-pl-0a1b2c3d4e5f60718",
            "host-egress-tcp-6379-6380-to-10.20.0.0-16"]);
        // The ASG and the services depend on every rule of the hosts' group (tests/rollbackAndDestroy.test.ts): on the added ones too.
        const withoutAdded = planOf(stack).filter((r) => !added.has(r.name)).map((r) => Array.isArray(r.options.dependsOn)
            ? { ...r, options: { ...r.options, dependsOn: (r.options.dependsOn as string[]).filter((name) => !added.has(name)) } } : r);
        assert.deepEqual(withoutAdded, planOf(plain));
        assert.deepEqual([...hostEgressRules(plain).keys()], ["hosts-to-aws-apis"]);
    });

    const reorderedRun = deployed(hostEgress([mailRelays, redis, ordersDb]));
    const withoutRedisRun = deployed(hostEgress([ordersDb, mailRelays]));
    const redescribedRun = deployed(hostEgress([{ ...ordersDb, description: "Postgres orders-db (primary)" }, redis, mailRelays]));
    const asRangeRun = deployed(hostEgress([{ fromPort: 5432, toPort: 5432, protocol: "tcp", securityGroupId: ordersDb.securityGroupId,
        description: ordersDb.description }, redis, mailRelays]));
    const namedInputs = (deployment: Deployment) => Object.fromEntries([...hostEgressRules(deployment)].map(([name, r]) => [name, r.inputs]));

    test("reordering the list gives the same rules under the same names: nothing is replaced", async () => {
        assert.deepEqual(namedInputs(await reorderedRun), namedInputs(stack));
    });

    test("removing one rule leaves the others' names and inputs alone", async () => {
        const { "host-egress-tcp-6379-6380-to-10.20.0.0-16": removed, ...kept } = namedInputs(stack);
        assert.ok(removed);
        assert.deepEqual(namedInputs(await withoutRedisRun), kept);
    });

    test("a new description keeps the rule's name, so the provider updates it in place (ModifySecurityGroupRules)", async () => {
        const before = namedInputs(stack);
        const after = namedInputs(await redescribedRun);
        assert.deepEqual(Object.keys(after), Object.keys(before));
        const name = "host-egress-tcp-5432-to-sg-0123456789abcdef0";
        assert.deepEqual(after[name], { ...before[name], description: "Postgres orders-db (primary)" });
    });

    test("port 5432 and the range 5432-5432 with protocol tcp are the same rule", async () => {
        assert.deepEqual(namedInputs(await asRangeRun), namedInputs(stack));
    });
});

describe("hostEgress: bad rules are refused before anything is registered, naming the key, the value and what is allowed", () => {
    const key = (path: string) => new RegExp(`'${project}:hostEgress${path.replace(/\./g, "\\.")}': got `);
    const refusals: [rule: string, value: unknown, patterns: RegExp[]][] = [
        ["not a list", "5432", [key(""), /got "5432"; expected a list of egress rules, each \{ port, or fromPort and toPort;/]],
        ["a rule that is not an object", [5432], [key(".0"), /got "5432"; expected an egress rule object/]],
        ["port 0", [{ ...ordersDb, port: 0 }], [key(".0.port"), /got "0"; expected an integer from 1 to 65535/]],
        ["a port above 65535", [{ ...ordersDb, port: 65536 }], [key(".0.port"), /got "65536"; expected an integer from 1 to 65535/]],
        ["a port as text", [{ ...ordersDb, port: "5432" }], [key(".0.port"), /got "5432"; expected an integer from 1 to 65535/]],
        ["a fractional port", [{ ...ordersDb, port: 54.32 }], [key(".0.port"), /got "54.32"; expected an integer from 1 to 65535/]],
        ["fromPort above toPort", [{ ...redis, fromPort: 6380, toPort: 6379 }], [key(".0.toPort"), /got "6379"; expected a port from fromPort \(6380\) to 65535/]],
        ["a toPort outside 1-65535", [{ ...redis, toPort: 70000 }], [key(".0.toPort"), /got "70000"; expected an integer from 1 to 65535/]],
        ["both port and a range", [{ ...ordersDb, fromPort: 5432, toPort: 5433 }], [key(".0.port"), /got "5432"; expected either port or fromPort and toPort, not both/]],
        ["fromPort without toPort", [{ fromPort: 6379, cidr: "10.20.0.0/16", description: "Redis" }], [key(".0.toPort"), /expected both fromPort and toPort/]],
        ["no port at all", [{ securityGroupId: "sg-0123456789abcdef0", description: "Postgres" }],
            [key(".0"), /got "\{\\"securityGroupId\\":\\"sg-0123456789abcdef0\\",\\"description\\":\\"Postgres\\"\}"; expected a port, or fromPort and toPort/]],
        ["ICMP", [{ ...ordersDb, protocol: "icmp" }], [key(".0.protocol"), /got "icmp"; expected tcp or udp/]],
        ["all protocols (-1)", [{ ...ordersDb, protocol: "-1" }], [key(".0.protocol"), /got "-1"; expected tcp or udp \(ICMP and all protocols, -1, are not offered\)/]],
        ["no destination", [{ port: 5432, description: "Postgres" }], [key(".0"), /expected exactly one of securityGroupId, cidr and prefixListId \(this rule sets none\)/]],
        ["two destinations", [{ ...ordersDb, cidr: "10.0.0.0/16" }], [key(".0"), /sg-0123456789abcdef0.*expected exactly one of securityGroupId, cidr and prefixListId \(this rule sets securityGroupId and cidr\)/]],
        ["all three destinations", [{ ...ordersDb, cidr: "10.0.0.0/16", prefixListId: "pl-63a5400a" }], [key(".0"), /\(this rule sets securityGroupId and cidr and prefixListId\)/]],
        ["a CIDR prefix over 32", [{ ...redis, cidr: "10.0.0.0/33" }], [key(".0.cidr"), /got "10.0.0.0\/33"; expected an IPv4 CIDR block written as its network address/]],
        ["a CIDR with host bits set", [{ ...redis, cidr: "10.20.1.0/16" }], [key(".0.cidr"), /got "10.20.1.0\/16"; expected an IPv4 CIDR block written as its network address, such as 10.0.0.0\/16/]],
        ["an address without a prefix", [{ ...redis, cidr: "10.20.0.5" }], [key(".0.cidr"), /got "10.20.0.5"/]],
        ["an octet over 255", [{ ...redis, cidr: "10.256.0.0/16" }], [key(".0.cidr"), /got "10.256.0.0\/16"/]],
        ["a host name", [{ ...redis, cidr: "redis.internal" }], [key(".0.cidr"), /got "redis.internal"/]],
        ["an IPv6 block", [{ ...redis, cidr: "2001:db8::/32" }], [key(".0.cidr"), /got "2001:db8::\/32"; .*\(not IPv6: the hosts have no IPv6 address\)/]],
        ["a security group ID of 9 hex digits", [{ ...ordersDb, securityGroupId: "sg-012345678" }],
            [key(".0.securityGroupId"), /got "sg-012345678"; expected a security group ID: sg- and 8 or 17 lower-case hex digits/]],
        ["a security group name", [{ ...ordersDb, securityGroupId: "orders-db" }], [key(".0.securityGroupId"), /got "orders-db"/]],
        ["an upper-case security group ID", [{ ...ordersDb, securityGroupId: "sg-0123456789ABCDEF0" }], [key(".0.securityGroupId"), /got "sg-0123456789ABCDEF0"/]],
        ["a prefix list name", [{ ...mailRelays, prefixListId: "com.amazonaws.us-east-1.s3" }],
            [key(".0.prefixListId"), /got "com.amazonaws.us-east-1.s3"; expected a prefix list ID: pl- and 8 or 17 lower-case hex digits/]],
        ["no description", [{ port: 5432, securityGroupId: "sg-0123456789abcdef0" }], [key(".0.description"), /expected a description of 1-255 characters/]],
        ["an empty description", [{ ...ordersDb, description: "" }], [key(".0.description"), /got ""; expected a description of 1-255 characters/]],
        ["a description over 255 characters", [{ ...ordersDb, description: "d".repeat(256) }], [key(".0.description"), /expected a description of 1-255 characters/]],
        ["an apostrophe in the description", [{ ...ordersDb, description: "the orders' db" }],
            [key(".0.description"), /got "the orders' db"; expected a description of 1-255 characters, of letters, digits, spaces and \._-:\/\(\)#,@\[\]\+=;\{\}!\$\* \(EC2's characters for a rule to a security group or prefix list\)/]],
        ["an arrow in the description", [{ ...redis, description: "tasks -> redis" }], [key(".0.description"), /got "tasks -> redis"; .*!\$\*& \(EC2's characters for a rule to a CIDR range\)/]],
        ["a non-ASCII letter in the description", [{ ...ordersDb, description: "Postgres café" }], [key(".0.description"), /got "Postgres café"/]],
        ["an & in the description of a rule to a security group", [{ ...ordersDb, description: "Postgres & PgBouncer" }],
            [key(".0.description"), /got "Postgres & PgBouncer"; .*for a rule to a security group or prefix list/]],
        ["an & in the description of a rule to a prefix list", [{ ...mailRelays, description: "SMTP & LMTP" }], [key(".0.description"), /got "SMTP & LMTP"/]],
        ["an unknown key", [{ ...ordersDb, protcol: "tcp" }], [key(".0.protcol"), /got "tcp"; expected a key of an egress rule .*; did you mean 'protocol'\?/]],
        ["the same rule twice", [ordersDb, redis, { ...ordersDb, description: "Postgres again" }],
            [key(".2"), /expected a rule that opens something new: hostEgress.0 already opens tcp 5432 to sg-0123456789abcdef0 \(EC2 refuses a duplicate rule\)/]],
        ["the hosts' own HTTPS rule", [{ port: 443, cidr: "0.0.0.0/0", description: "HTTPS anywhere" }],
            [key(".0"), /expected a rule that opens something new: the hosts' own HTTPS rule to AWS's endpoints already opens tcp 443 to 0.0.0.0\/0/]],
    ];
    for (const [rule, value, patterns] of refusals) {
        test(rule, () => assertRefusedBeforeRegistering({ hostEgress: typeof value === "string" ? value : JSON.stringify(value) }, ConfigError, patterns));
    }

    test("a later rule is named by its place: the first bad one is reported", () =>
        assertRefusedBeforeRegistering(hostEgress([ordersDb, redis, { ...mailRelays, port: 0 }]), ConfigError, [key(".2.port")]));
});

describe("hostEgress: the config and the fake AWS agree on what EC2 takes", () => {
    const egress = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
    const destinationInputs = (rule: Record<string, unknown>) =>
        rule.securityGroupId !== undefined ? { referencedSecurityGroupId: rule.securityGroupId }
            : rule.cidr !== undefined ? { cidrIpv4: rule.cidr } : { prefixListId: rule.prefixListId };
    /** Whether the config takes `rule`, and whether the fake takes the rule the stack would send for it. */
    function verdicts(rule: Record<string, unknown>): [config: boolean, fake: boolean] {
        let config = true;
        try {
            parseStackConfig(project, withProjectDefaults({ "aws:region": "us-east-1", [`${project}:hostEgress`]: JSON.stringify([rule]) }));
        } catch (error) {
            assert.ok(error instanceof ConfigError, String(error));
            config = false;
        }
        const sent = { securityGroupId: "sg-0123456789abcdef0", ipProtocol: rule.protocol ?? "tcp", fromPort: rule.port, toPort: rule.port,
            description: rule.description, ...destinationInputs(rule) };
        return [config, resourceRules[egress](sent, { logicalName: "x" }).length === 0];
    }
    const cases: [what: string, rule: Record<string, unknown>, taken: boolean][] = [
        ["the orders database", ordersDb, true],
        ["every character EC2 lists, to a security group", { ...ordersDb, description: "aZ09 ._-:/()#,@[]+=;{}!$*" }, true],
        ["an & to a CIDR block", { ...redis, port: 6379, fromPort: undefined, toPort: undefined }, true],
        ["an & to a security group", { ...ordersDb, description: "Postgres & PgBouncer" }, false],
        ["an & to a prefix list", { ...mailRelays, description: "SMTP & LMTP" }, false],
        ["an apostrophe", { ...ordersDb, description: "the orders' db" }, false],
        ["a > sign", { ...redis, port: 6379, fromPort: undefined, toPort: undefined, description: "tasks > redis" }, false],
        ["255 characters", { ...ordersDb, description: "d".repeat(255) }, true],
        ["256 characters", { ...ordersDb, description: "d".repeat(256) }, false],
        ["a CIDR with host bits", { ...redis, port: 6379, fromPort: undefined, toPort: undefined, cidr: "10.20.1.0/16" }, false],
        ["a single address", { ...redis, port: 6379, fromPort: undefined, toPort: undefined, cidr: "203.0.113.25/32" }, true],
        ["an 8-digit security group ID", { ...ordersDb, securityGroupId: "sg-0a1b2c3d" }, true],
        ["a 9-digit security group ID", { ...ordersDb, securityGroupId: "sg-0a1b2c3d4" }, false],
        ["an AWS-managed prefix list", { ...mailRelays, prefixListId: "pl-63a5400a" }, true],
        ["an upper-case prefix list ID", { ...mailRelays, prefixListId: "pl-63A5400A" }, false],
        ["UDP", { ...ordersDb, protocol: "udp" }, true],
    ];
    for (const [what, rule, taken] of cases) {
        test(`${what}: ${taken ? "both take it" : "both refuse it"}`, () => {
            assert.deepEqual(verdicts(rule), [taken, taken]);
        });
    }
});

test("more rules than EC2's default quota of outbound rules per security group are refused before anything is registered", () =>
    assertRefusedBeforeRegistering({
        hostEgress: JSON.stringify(Array.from({ length: 60 }, (_, i) => ({ port: 10000 + i, cidr: "10.0.0.0/16", description: `Rule ${i}` }))),
    }, ConfigError, [/'ecs-on-ec2:hostEgress': got .*; expected at most 59 rules: EC2's default quota of 60 outbound rules per security group/]));
