import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import * as elb from "@pulumi/aws/elb";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { ChildOptions } from "../aliases";

// Regions opened before August 2022 deliver ALB logs from a per-region ELB account; newer ones from the log
// delivery service principal, and have no such account
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).
const regionsWithElbAccount = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-south-1", "ap-northeast-1",
    "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-west-1",
    "eu-west-2", "eu-west-3", "eu-south-1", "eu-north-1", "me-south-1", "sa-east-1",
];

/**
 * The bucket the ALB writes its access logs to: private, encrypted with S3-managed keys (the only
 * kind ALB log delivery supports), readable over TLS only, writable by the region's ELB account under
 * this account's prefix only, and emptied after `expirationDays`; `pulumi destroy` deletes it with its logs.
 * Its settings are applied one after another: S3 answers 409 OperationAborted to concurrent
 * configuration requests on a bucket it is still creating.
 */
export function albAccessLogsBucket(region: string, expirationDays: number, child: ChildOptions): {
    bucket: s3.Bucket;
    policy: s3.BucketPolicy;
} {
    const bucket = new s3.Bucket("alb-access-logs", { forceDestroy: true }, child("alb-access-logs"));
    const after = (name: string, previous: pulumi.Resource) => child(name, { dependsOn: [previous] });
    const publicAccess = new s3.BucketPublicAccessBlock("alb-access-logs-public-access", {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    }, after("alb-access-logs-public-access", bucket));
    const ownership = new s3.BucketOwnershipControls("alb-access-logs-ownership", {
        bucket: bucket.id,
        rule: { objectOwnership: "BucketOwnerEnforced" },
    }, after("alb-access-logs-ownership", publicAccess));
    const encryption = new s3.BucketServerSideEncryptionConfiguration("alb-access-logs-encryption", {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    }, after("alb-access-logs-encryption", ownership));
    const lifecycle = new s3.BucketLifecycleConfiguration("alb-access-logs-expiry", {
        bucket: bucket.id,
        rules: [{
            id: "expire-access-logs",
            status: "Enabled",
            filter: {},
            expiration: { days: expirationDays },
            // ALB writes whole objects; a stray multipart upload would otherwise be billed forever.
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
        }],
    }, after("alb-access-logs-expiry", encryption));

    const invokeOpts = { parent: bucket };
    const logWriter = regionsWithElbAccount.includes(region)
        ? { AWS: elb.getServiceAccountOutput({}, invokeOpts).arn }
        : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" };
    const caller = getCallerIdentityOutput({}, invokeOpts);
    const policy = new s3.BucketPolicy("alb-access-logs-policy", {
        bucket: bucket.id,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ElbLogDelivery",
                    Effect: "Allow",
                    Principal: logWriter,
                    Action: "s3:PutObject",
                    Resource: pulumi.interpolate`${bucket.arn}/AWSLogs/${caller.accountId}/*`,
                },
                {
                    Sid: "TlsOnly",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
            ],
        }),
    }, after("alb-access-logs-policy", lifecycle));
    return { bucket, policy };
}
