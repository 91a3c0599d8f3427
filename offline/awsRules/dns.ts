// ACM certificates and their DNS validation, and Route 53 records.
import { Check, Inputs, TypeRules, Violation, all, arn, bool, each, int, items, length, oneOf, pattern, required, violation } from "./check";

// https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html (DomainName)
const acmName = pattern(/^(\*\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$/, "a domain name, optionally with a leading *.");

export const certificate: TypeRules = {
    fields: {
        // The domain name becomes the certificate's Common Name, which RFC 5280 limits to 64 characters.
        domainName: [length(1, 64), acmName],
        // https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html
        validationMethod: oneOf(["EMAIL", "DNS", "HTTP"]),
    },
    relations: (inputs) => required(inputs, ["domainName"]),
};

export const certificateValidation: TypeRules = {
    // https://docs.aws.amazon.com/acm/latest/APIReference/API_DescribeCertificate.html (CertificateArn)
    fields: {
        certificateArn: [length(20, 2048), arn("acm", "certificate/")],
        validationRecordFqdns: each(all(length(1, 255), pattern(/^[A-Za-z0-9_.-]+\.?$/, "a DNS name"))),
    },
    relations: (inputs) => required(inputs, ["certificateArn"]),
};

// https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html
const recordTypes = ["SOA", "A", "TXT", "NS", "CNAME", "MX", "NAPTR", "PTR", "SRV", "SPF", "AAAA", "CAA", "DS", "TLSA", "SSHFP", "SVCB", "HTTPS"];

// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html (labels up to 63, names up to 255 octets)
const dnsName: Check = (v) => {
    const name = String(v).replace(/\.$/, "");
    if (name.length === 0 || name.length > 253) {
        return "must be a DNS name of at most 255 octets";
    }
    const bad = name.split(".").find((label) => label.length === 0 || label.length > 63 || !/^[\x21-\x7e]+$/.test(label));
    return bad === undefined ? undefined : `label "${bad}" must be 1-63 printable ASCII characters`;
};

// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/ResourceRecordTypes.html (A: IPv4, AAAA: IPv6, CNAME: a domain name)
const recordValue: Readonly<Record<string, Check>> = {
    A: pattern(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, "an IPv4 address"),
    AAAA: pattern(/^[0-9a-fA-F:]+$/, "an IPv6 address"),
    CNAME: dnsName,
};

export const record: TypeRules = {
    // https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html
    fields: {
        zoneId: [length(1, 32), pattern(/^[A-Z0-9]+$/, "a hosted zone ID")],
        name: dnsName,
        type: oneOf(recordTypes),
        ttl: int(0, 2147483647),
        records: each(length(1, 4000)),
        allowOverwrite: bool,
        // https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html
        "aliases.*.name": dnsName,
        "aliases.*.zoneId": pattern(/^[A-Z0-9]+$/, "a hosted zone ID"),
        "aliases.*.evaluateTargetHealth": bool,
    },
    relations: (inputs) => {
        const aliased = Array.isArray(inputs.aliases) && inputs.aliases.length > 0;
        return [
            ...required(inputs, ["zoneId", "name", "type"]),
            ...(aliased ? aliasRecord(inputs) : plainRecord(inputs, String(inputs.type))),
        ];
    },
};

// https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html
function aliasRecord(inputs: Inputs): Violation[] {
    return [
        ...violation("aliases", inputs.aliases, (inputs.aliases as unknown[]).length > 1 ? "a record has one alias target" : undefined),
        ...["ttl", "records"].flatMap((key) => violation(key, inputs[key], inputs[key] !== undefined ? "must not be set on an alias record" : undefined)),
        ...items(inputs, "aliases").flatMap(({ item, path }) => required(item, ["name", "zoneId", "evaluateTargetHealth"], path)),
        ...violation("type", inputs.type, !["A", "AAAA", "CNAME", "MX", "NAPTR", "PTR", "SPF", "SRV", "TXT", "CAA", "DS", "HTTPS", "SVCB"]
            .includes(String(inputs.type)) ? "cannot be an alias record" : undefined),
    ];
}

function plainRecord(inputs: Inputs, type: string): Violation[] {
    const records = Array.isArray(inputs.records) ? inputs.records : [];
    const check = recordValue[type];
    return [
        // https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html (TTL and ResourceRecords unless alias)
        ...required(inputs, ["ttl", "records"]),
        ...violation("records", records, type === "CNAME" && records.length > 1 ? "a CNAME record has exactly one value" : undefined),
        ...(check === undefined ? [] : records.flatMap((r, i) => violation(`records.${i}`, r, check(r)))),
    ];
}
