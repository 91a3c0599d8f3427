import { closest } from "fastest-levenshtein";
import { z } from "zod";
import { isIpv4NetworkCidr, prefixListIdPattern, securityGroupIdPattern, securityGroupRuleDescription } from "../awsLimits";
import { integer } from "./services";

/** Where an egress rule of the hosts' security group lets traffic go: exactly one of these, in the rule's own AWS terms. */
export type HostEgressDestination =
    | { readonly referencedSecurityGroupId: string }
    | { readonly cidrIpv4: string }
    | { readonly prefixListId: string };

/** One outbound rule of the hosts' security group: a protocol and port range to one destination. */
export interface HostEgressRule {
    readonly ipProtocol: "tcp" | "udp";
    readonly fromPort: number;
    readonly toPort: number;
    readonly destination: HostEgressDestination;
    readonly description: string;
}

/** The rule the hosts always have: the ECS agent, image pulls and logs reach AWS's public endpoints on HTTPS. */
export const awsApisEgress: HostEgressRule = {
    ipProtocol: "tcp", fromPort: 443, toPort: 443, destination: { cidrIpv4: "0.0.0.0/0" },
    description: "HTTPS to the public endpoints of ECR, S3 (image layers), ECS, CloudWatch Logs and SSM",
};

/**
 * What a rule opens, without its description: protocol, ports and destination. AWS refuses a second rule with the
 * same ones (InvalidPermission.Duplicate), and the rule's logical name is made of them, so that reordering the
 * list or editing a description never replaces a rule.
 */
export function hostEgressKey(rule: HostEgressRule): string {
    // A CIDR's "/" becomes "-": 10.0.0.0/16 -> 10.0.0.0-16; the forms of the three destinations cannot meet.
    return `${rule.ipProtocol}-${portsOf(rule)}-to-${destinationOf(rule).replace("/", "-")}`;
}

const portsOf = (rule: HostEgressRule) => (rule.fromPort === rule.toPort ? `${rule.fromPort}` : `${rule.fromPort}-${rule.toPort}`);
const destinationOf = (rule: HostEgressRule): string => Object.values(rule.destination)[0];

const destinations = ["securityGroupId", "cidr", "prefixListId"] as const;
const ruleKeys = ["port", "fromPort", "toPort", "protocol", ...destinations, "description"];
const ruleShape = "{ port, or fromPort and toPort; protocol (tcp by default); exactly one of securityGroupId, cidr, prefixListId; description }";
const port = integer(1, 65535);
const descriptionRule = (cidr: boolean) => `a description of 1-${securityGroupRuleDescription.maxLength} characters, of letters, digits, `
    + `spaces and ._-:/()#,@[]+=;{}!$*${cidr ? "&" : ""} (EC2's characters for a rule to a ${cidr ? "CIDR range" : "security group or prefix list"})`;

/**
 * One `hostEgress` entry as written in config, checked as a whole and read as a HostEgressRule: the destination
 * decides which description characters EC2 takes, and a key this schema does not know is refused with the closest one.
 */
const hostEgressEntry = z.looseObject({
    port: port.optional(),
    fromPort: port.optional(),
    toPort: port.optional(),
    // Only port-based protocols: ICMP's "ports" are its type and code, and -1 (all protocols) would open every
    // port to the destination, which is what this list exists to avoid.
    protocol: z.enum(["tcp", "udp"], { error: "tcp or udp (ICMP and all protocols, -1, are not offered)" }).default("tcp"),
    securityGroupId: z.string({ error: "a security group ID" }).regex(securityGroupIdPattern, {
        error: "a security group ID: sg- and 8 or 17 lower-case hex digits, such as sg-0123456789abcdef0",
    }).optional(),
    // IPv4 only: the default VPC's subnets give the hosts no IPv6 address, so an IPv6 rule could never carry traffic.
    cidr: z.string({ error: "an IPv4 CIDR block" }).refine(isIpv4NetworkCidr, {
        error: "an IPv4 CIDR block written as its network address, such as 10.0.0.0/16 or 203.0.113.25/32 "
            + "(not IPv6: the hosts have no IPv6 address)",
    }).optional(),
    prefixListId: z.string({ error: "a prefix list ID" }).regex(prefixListIdPattern, {
        error: "a prefix list ID: pl- and 8 or 17 lower-case hex digits, such as pl-63a5400a",
    }).optional(),
    description: z.string({ error: descriptionRule(true) }),
}, { error: `an egress rule object ${ruleShape}` }).transform((entry, ctx): HostEgressRule => {
    const refuse = (path: PropertyKey[], message: string) => {
        ctx.issues.push({ code: "custom", path, message, input: entry });
        return z.NEVER;
    };
    const unknown = Object.keys(entry).find((key) => !ruleKeys.includes(key));
    if (unknown !== undefined) {
        return refuse([unknown], `a key of an egress rule ${ruleShape}; did you mean '${closest(unknown, ruleKeys)}'?`);
    }
    const { port: single, fromPort = single, toPort = single } = entry;
    if (single !== undefined && (entry.fromPort !== undefined || entry.toPort !== undefined)) {
        return refuse(["port"], "either port or fromPort and toPort, not both");
    }
    if (fromPort === undefined || toPort === undefined) {
        return single === undefined && entry.fromPort === undefined && entry.toPort === undefined
            ? refuse([], `a port, or fromPort and toPort: an egress rule ${ruleShape}`)
            : refuse([fromPort === undefined ? "fromPort" : "toPort"], "both fromPort and toPort, the two ends of the range");
    }
    if (fromPort > toPort) {
        return refuse(["toPort"], `a port from fromPort (${fromPort}) to 65535`);
    }
    const { securityGroupId, cidr, prefixListId } = entry;
    const targets: HostEgressDestination[] = [
        ...(securityGroupId === undefined ? [] : [{ referencedSecurityGroupId: securityGroupId }]),
        ...(cidr === undefined ? [] : [{ cidrIpv4: cidr }]),
        ...(prefixListId === undefined ? [] : [{ prefixListId }]),
    ];
    const [destination] = targets;
    if (targets.length !== 1) {
        const set = destinations.filter((key) => entry[key] !== undefined);
        return refuse([], `exactly one of securityGroupId, cidr and prefixListId (this rule sets ${set.length === 0 ? "none" : set.join(" and ")})`);
    }
    const toCidr = "cidrIpv4" in destination;
    const characters = toCidr ? securityGroupRuleDescription.cidrCharacters : securityGroupRuleDescription.characters;
    const { description } = entry;
    if (description.length < 1 || description.length > securityGroupRuleDescription.maxLength || !characters.test(description)) {
        return refuse(["description"], descriptionRule(toCidr));
    }
    return { ipProtocol: entry.protocol, fromPort, toPort, destination, description };
});

/** How a rule reads in a message: tcp 5432 to sg-0123456789abcdef0. */
function opening(rule: HostEgressRule): string {
    return `${rule.ipProtocol} ${portsOf(rule)} to ${destinationOf(rule)}`;
}

/**
 * The `hostEgress` key: its rules, none opening what another (or the hosts' own HTTPS rule) already opens. A transform,
 * not a refinement: it runs only once every rule has been read.
 */
// EC2 allows 60 outbound rules per security group by default, the hosts' own HTTPS rule among them; a rule to a
// prefix list counts as that list's maximum entries (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html).
const maxHostEgressRules = 59;

export const hostEgressSchema = z.array(hostEgressEntry, { error: `a list of egress rules, each ${ruleShape}` }).max(maxHostEgressRules, {
    error: `at most ${maxHostEgressRules} rules: EC2's default quota of 60 outbound rules per security group, the hosts' HTTPS rule among them `
        + "(a prefix list counts as its maximum entries)",
}).transform((rules, ctx) => {
    const seen = new Map<string, string>([[hostEgressKey(awsApisEgress), "the hosts' own HTTPS rule to AWS's endpoints"]]);
    rules.forEach((rule, i) => {
        const key = hostEgressKey(rule);
        const first = seen.get(key);
        if (first === undefined) {
            seen.set(key, `hostEgress.${i}`);
        } else {
            ctx.issues.push({
                code: "custom", path: [i], input: rules,
                message: `a rule that opens something new: ${first} already opens ${opening(rule)} (EC2 refuses a duplicate rule)`,
            });
        }
    });
    return rules;
});
