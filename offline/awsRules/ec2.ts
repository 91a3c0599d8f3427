// EC2: security groups and their rules, launch templates, and the VPC/subnet/AZ look-ups.
import { isBurstable } from "../../infra/models/capacity";
import { isIpv4NetworkCidr, prefixListIdPattern, securityGroupIdPattern, securityGroupRuleDescription } from "../../infra/awsLimits";
import {
    Check, Inputs, TypeRules, Violation, bool, checkSpec, each, int, ipv4Cidr, items, join, length, numberOf,
    oneOf, pattern, required, violation,
} from "./check";
import { tagViolations } from "./tags";

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
const ec2Text = pattern(/^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/, "EC2's characters a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*");
export const vpcId = pattern(/^vpc-[0-9a-f]+$/, "a VPC ID (vpc-…)");
export const subnetId = pattern(/^subnet-[0-9a-z-]+$/, "a subnet ID (subnet-…)");
export const securityGroupId = pattern(securityGroupIdPattern, "a security group ID (sg- and 8 or 17 lower-case hex digits)");

export const securityGroup: TypeRules = {
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
    fields: {
        name: [length(1, 255), ec2Text, (v) => String(v).startsWith("sg-") ? "must not start with sg-" : undefined],
        description: [length(0, 255), ec2Text],
        vpcId,
    },
};

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html
const ipProtocol: Check = (v) => {
    const named = ["tcp", "udp", "icmp", "icmpv6", "-1", "all"];
    const n = numberOf(v);
    return named.includes(String(v).toLowerCase()) || (Number.isInteger(n) && n >= -1 && n <= 255)
        ? undefined : "must be tcp, udp, icmp, icmpv6, -1 or a protocol number 0-255";
};

// TCP/UDP rules need a port range 0-65535 with from <= to; for all protocols (-1) ports don't apply.
function ports(rule: Inputs, protocol: string, prefix: string): Violation[] {
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html
    if (!["tcp", "udp", "6", "17"].includes(protocol.toLowerCase())) {
        return [];
    }
    const range = checkSpec(rule, { fromPort: int(0, 65535), toPort: int(0, 65535) }, prefix);
    const from = numberOf(rule.fromPort);
    const to = numberOf(rule.toPort);
    const order = from > to ? violation(join(prefix, "toPort"), rule.toPort, "must not be below fromPort") : [];
    return [...required(rule, ["fromPort", "toPort"], prefix), ...range, ...order];
}

// The provider's cidr_ipv4 validator (IPv4CIDRNetworkAddress) wants the block's network address: 10.0.0.0/16, not 10.0.1.0/16.
// https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/ec2/vpc_security_group_ingress_rule.go
const networkAddress: Check = (v) => typeof v === "string" && isIpv4NetworkCidr(v) ? undefined : "must be an IPv4 CIDR block's network address";

/** aws:vpc/securityGroupIngressRule and …EgressRule: one rule, one source or destination. */
export const securityGroupRule: TypeRules = {
    fields: {
        // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html (Description); a rule to a security
        // group or prefix list takes the same characters but &, which the relations below check.
        description: [length(0, securityGroupRuleDescription.maxLength),
            pattern(securityGroupRuleDescription.cidrCharacters, "EC2's characters a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*")],
        ipProtocol,
        cidrIpv4: [ipv4Cidr, networkAddress],
        securityGroupId,
        // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UserIdGroupPair.html (GroupId), API_PrefixListId.html
        referencedSecurityGroupId: securityGroupId,
    },
    relations: (inputs) => {
        const sources = ["cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"].filter((key) => inputs[key] !== undefined);
        const toCidr = sources.every((key) => key.startsWith("cidr"));
        return [
            // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UserIdGroupPair.html, API_PrefixListId.html (Description)
            ...(toCidr ? [] : checkSpec(inputs, {
                description: pattern(securityGroupRuleDescription.characters,
                    "EC2's characters for a rule to a security group or prefix list: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=;{}!$* (no &)"),
            })),
            ...required(inputs, ["securityGroupId", "ipProtocol"]),
            ...ports(inputs, String(inputs.ipProtocol ?? ""), ""),
            // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupIngress.html
            ...violation("cidrIpv4", sources, sources.length === 1 ? undefined
                : "exactly one of cidrIpv4, cidrIpv6, prefixListId, referencedSecurityGroupId is required"),
        ];
    },
};

/** aws:vpc/securityGroupEgressRule: the same, and the hosts' egress rules may also go to a prefix list. */
export const securityGroupEgressRule: TypeRules = {
    ...securityGroupRule,
    fields: {
        ...securityGroupRule.fields,
        // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_PrefixListId.html
        prefixListId: pattern(prefixListIdPattern, "a prefix list ID (pl- and 8 or 17 lower-case hex digits)"),
    },
};

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html
const launchTemplateName = [length(3, 128), pattern(/^[a-zA-Z0-9().\-/_]+$/, "[a-zA-Z0-9().-/_]+")];

// User data is base64 and limited to 16 KB before encoding.
const userData: Check = (v) => {
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RequestLaunchTemplateData.html (UserData)
    if (typeof v !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) {
        return "must be base64-encoded";
    }
    return Buffer.from(v, "base64").length <= 16384 ? undefined : "must be at most 16 KB before base64 encoding";
};

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVolume.html (Size per VolumeType)
// Volume size limits per EBS volume type, in GiB.
const volumeSizes: Readonly<Record<string, [number, number]>> = {
    gp2: [1, 16384], gp3: [1, 65536], io1: [4, 16384], io2: [4, 65536], st1: [125, 16384], sc1: [125, 16384], standard: [1, 1024],
};

export const launchTemplate: TypeRules = {
    fields: {
        name: launchTemplateName,
        // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html (VersionDescription)
        description: length(0, 255),
        // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RequestLaunchTemplateData.html
        imageId: pattern(/^(ami-[0-9a-f]+|resolve:ssm:.+)$/, "an AMI ID (ami-…) or resolve:ssm:<parameter>"),
        instanceType: pattern(/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/, "an instance type such as t3.small"),
        vpcSecurityGroupIds: each(securityGroupId),
        "iamInstanceProfile.arn": pattern(/^arn:aws[a-z-]*:iam::\d{12}:instance-profile\/.+$/, "an instance profile ARN"),
        userData,
        // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplateInstanceMetadataOptionsRequest.html
        "metadataOptions.httpEndpoint": oneOf(["enabled", "disabled"]),
        "metadataOptions.httpTokens": oneOf(["optional", "required"]),
        "metadataOptions.httpPutResponseHopLimit": int(1, 64),
        // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplateEbsBlockDeviceRequest.html
        "blockDeviceMappings.*.deviceName": pattern(/^\/dev\/[a-z0-9]+$|^xvd[a-z]+$/, "a device name such as /dev/xvda"),
        "blockDeviceMappings.*.ebs.volumeType": oneOf(Object.keys(volumeSizes)),
        "blockDeviceMappings.*.ebs.encrypted": bool,
        "blockDeviceMappings.*.ebs.deleteOnTermination": bool,
        // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplateTagSpecificationRequest.html
        "tagSpecifications.*.resourceType": oneOf(["instance", "volume", "network-interface", "spot-instances-request"]),
        // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreditSpecificationRequest.html
        "creditSpecification.cpuCredits": oneOf(["standard", "unlimited"]),
    },
    relations: (inputs) => [
        // A credit specification is for burstable instance types only (T2, T3, T3a, T4g); EC2 refuses it at launch otherwise.
        ...violation("creditSpecification", (inputs.creditSpecification as unknown),
            inputs.creditSpecification !== undefined && !isBurstable(String(inputs.instanceType))
                ? `is for burstable instance types only, not ${String(inputs.instanceType)}` : undefined),
        ...items(inputs, "blockDeviceMappings").flatMap(({ item, path }) => volumeSize(item, path)),
        ...items(inputs, "tagSpecifications").flatMap(({ item, path }) =>
            tagViolations(((item as Inputs).tags ?? {}) as Record<string, string>, `${path}.tags`, "aws:ec2/launchTemplate:LaunchTemplate")),
    ],
};

function volumeSize(mapping: unknown, path: string): Violation[] {
    const volumeType = String((mapping as Inputs & { ebs?: Inputs }).ebs?.volumeType ?? "gp2");
    const [min, max] = volumeSizes[volumeType] ?? [1, 65536];
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVolume.html (Size)
    return checkSpec(mapping, { "ebs.volumeSize": int(min, max) }, path);
}

// ---- invokes ----

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AvailabilityZone.html (ZoneName)
const availabilityZone = pattern(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, "an availability zone name such as us-east-1a");

// The look-ups the stack makes: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcs.html,
// API_DescribeSubnets.html, API_DescribeAvailabilityZones.html.
export const getVpc: TypeRules = { fields: { default: bool } };

export const getSubnet: TypeRules = { fields: { vpcId, availabilityZone, defaultForAz: bool } };

export const getAvailabilityZones: TypeRules = {
    fields: { state: oneOf(["available", "information", "impaired", "unavailable", "constrained"]) },
};

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceTypeOfferings.html: LocationType, and
// the filters `instance-type` and `location` (each with at least one value).
export const getInstanceTypeOfferings: TypeRules = {
    fields: {
        locationType: oneOf(["region", "availability-zone", "availability-zone-id", "outpost"]),
        "filters.*.name": oneOf(["instance-type", "location"]),
        "filters.*.values": (v) => Array.isArray(v) && v.length > 0 && v.every((value) => typeof value === "string" && value !== "")
            ? undefined : "must be a non-empty list of values",
    },
};
