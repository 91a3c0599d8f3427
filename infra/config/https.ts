import { ConfigError } from "./errors";

/**
 * How the stack serves HTTPS for a domain name: with a certificate it requests and validates in the
 * name's Route 53 zone, or with an existing one (and then an alias record only if the zone is given).
 */
export type HttpsConfig = { readonly domainName: string } & (
    | { readonly hostedZoneId: string; readonly certificateArn?: undefined }
    | { readonly hostedZoneId?: string; readonly certificateArn: string }
);

type HttpsKey = "domainName" | "hostedZoneId" | "certificateArn";

/** HTTPS from the three keys, or undefined when no domain is set; refuses any key set without the others it needs. */
export function parseHttps(
    region: string,
    read: (name: HttpsKey) => { key: string; value: string | undefined },
): HttpsConfig | undefined {
    const domain = read("domainName");
    const zone = read("hostedZoneId");
    const certificate = read("certificateArn");
    if (domain.value === undefined) {
        for (const setting of [zone, certificate]) {
            if (setting.value !== undefined) {
                throw new ConfigError(domain.key, "", `a domain name, because ${setting.key} is set`);
            }
        }
        return undefined;
    }
    if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domain.value)) {
        throw new ConfigError(domain.key, domain.value, "a fully qualified lower-case DNS name such as app.example.com");
    }
    if (zone.value !== undefined && !/^Z[A-Z0-9]{1,31}$/.test(zone.value)) {
        throw new ConfigError(zone.key, zone.value, "a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ");
    }
    if (certificate.value === undefined) {
        if (zone.value === undefined) {
            throw new ConfigError(domain.key, domain.value,
                `a Route 53 zone to validate its certificate in (${zone.key}) or an existing certificate (${certificate.key}) with it`);
        }
        // ACM refuses to request a certificate whose first domain name is longer than 64 characters
        // (https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html).
        if (domain.value.length > 64) {
            throw new ConfigError(domain.key, domain.value,
                `a name of at most 64 characters for a certificate the stack requests, or an existing certificate (${certificate.key})`);
        }
        return { domainName: domain.value, hostedZoneId: zone.value };
    }
    const certificateRegion = /^arn:aws:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/.exec(certificate.value)?.[1];
    if (certificateRegion !== region) {
        throw new ConfigError(certificate.key, certificate.value, certificateRegion === undefined
            ? "an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<uuid>"
            : `an ACM certificate in ${region}, the ALB's region (this one is in ${certificateRegion})`);
    }
    return { domainName: domain.value, hostedZoneId: zone.value, certificateArn: certificate.value };
}
