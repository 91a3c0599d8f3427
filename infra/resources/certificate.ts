import * as acm from "@pulumi/aws/acm";
import * as route53 from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";
import { ChildOptions } from "../aliases";
import { HttpsConfig } from "../config";

/**
 * The ARN of a certificate the HTTPS listener can use: the configured one, or a new ACM certificate
 * for the domain, DNS-validated in its hosted zone (the ARN resolves only once ACM has issued it).
 */
export function listenerCertificateArn(https: HttpsConfig, child: ChildOptions): pulumi.Input<string> {
    if (https.certificateArn !== undefined) {
        return https.certificateArn;
    }
    const certificate = new acm.Certificate("certificate", {
        domainName: https.domainName,
        validationMethod: "DNS",
    }, child("certificate"));
    const validation = certificate.domainValidationOptions[0];
    const validationRecord = new route53.Record("certificate-validation-record", {
        zoneId: https.hostedZoneId,
        name: validation.resourceRecordName,
        type: validation.resourceRecordType,
        records: [validation.resourceRecordValue],
        ttl: 300,
        allowOverwrite: true,
    }, child("certificate-validation-record"));
    return new acm.CertificateValidation("certificate-validation", {
        certificateArn: certificate.arn,
        validationRecordFqdns: [validationRecord.fqdn],
    }, child("certificate-validation")).certificateArn;
}
