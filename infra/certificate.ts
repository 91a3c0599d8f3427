import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HttpsConfig } from "./config";

/**
 * The ARN of a certificate the HTTPS listener can use: the configured one, or a new ACM certificate
 * for the domain, DNS-validated in its hosted zone (the ARN resolves only once ACM has issued it).
 */
export function listenerCertificateArn(https: HttpsConfig, parent: pulumi.Resource): pulumi.Input<string> {
    if (https.certificateArn !== undefined) {
        return https.certificateArn;
    }
    const opts = { parent };
    const certificate = new aws.acm.Certificate("certificate", {
        domainName: https.domainName,
        validationMethod: "DNS",
    }, opts);
    const validation = certificate.domainValidationOptions[0];
    const validationRecord = new aws.route53.Record("certificate-validation-record", {
        zoneId: https.hostedZoneId,
        name: validation.resourceRecordName,
        type: validation.resourceRecordType,
        records: [validation.resourceRecordValue],
        ttl: 300,
        allowOverwrite: true,
    }, opts);
    return new aws.acm.CertificateValidation("certificate-validation", {
        certificateArn: certificate.arn,
        validationRecordFqdns: [validationRecord.fqdn],
    }, opts).certificateArn;
}
