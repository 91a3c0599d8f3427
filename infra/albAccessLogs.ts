import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The bucket the ALB writes its access logs to: private, encrypted with S3-managed keys (the only
 * kind ALB log delivery supports), readable over TLS only, writable by the region's ELB account under
 * this account's prefix only, and emptied after `expirationDays`; `pulumi destroy` deletes it with its logs.
 */
export function albAccessLogsBucket(expirationDays: number, parent: pulumi.Resource): {
    bucket: aws.s3.Bucket;
    policy: aws.s3.BucketPolicy;
} {
    const opts = { parent };
    const bucket = new aws.s3.Bucket("alb-access-logs", { forceDestroy: true }, opts);
    new aws.s3.BucketPublicAccessBlock("alb-access-logs-public-access", {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    }, opts);
    new aws.s3.BucketOwnershipControls("alb-access-logs-ownership", {
        bucket: bucket.id,
        rule: { objectOwnership: "BucketOwnerEnforced" },
    }, opts);
    new aws.s3.BucketServerSideEncryptionConfiguration("alb-access-logs-encryption", {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    }, opts);
    new aws.s3.BucketLifecycleConfiguration("alb-access-logs-expiry", {
        bucket: bucket.id,
        rules: [{ id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: expirationDays } }],
    }, opts);

    const elbAccount = aws.elb.getServiceAccountOutput({}, opts);
    const caller = aws.getCallerIdentityOutput({}, opts);
    const policy = new aws.s3.BucketPolicy("alb-access-logs-policy", {
        bucket: bucket.id,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ElbLogDelivery",
                    Effect: "Allow",
                    Principal: { AWS: elbAccount.arn },
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
    }, opts);
    return { bucket, policy };
}
