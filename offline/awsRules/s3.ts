// S3: the bucket, its public-access, ownership, encryption and lifecycle settings, and its policy.
import { Check, Inputs, TypeRules, Violation, bool, document, int, isRecord, items, length, oneOf, required, violation } from "./check";
import { policyDocument } from "./iam";

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
export const bucketName: Check = (v) => {
    const name = String(v);
    const broken: [boolean, string][] = [
        [!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name), "must be 3-63 lowercase letters, digits, dots or hyphens, beginning and ending with a letter or digit"],
        [name.includes(".."), "must not contain two adjacent periods"],
        [/^\d+\.\d+\.\d+\.\d+$/.test(name), "must not be formatted as an IP address"],
        [/^(xn--|sthree-|amzn-s3-demo-)/.test(name), "must not begin with xn--, sthree- or amzn-s3-demo-"],
        [/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name), "must not end with -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3"],
    ];
    return broken.find(([bad]) => bad)?.[1];
};

export const bucket: TypeRules = { fields: { bucket: bucketName, forceDestroy: bool } };

export const publicAccessBlock: TypeRules = {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PublicAccessBlockConfiguration.html
    fields: { bucket: bucketName, blockPublicAcls: bool, blockPublicPolicy: bool, ignorePublicAcls: bool, restrictPublicBuckets: bool },
    relations: (inputs) => required(inputs, ["bucket"]),
};

export const ownershipControls: TypeRules = {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_OwnershipControlsRule.html
    fields: { bucket: bucketName, "rule.objectOwnership": oneOf(["BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"]) },
    relations: (inputs) => required(inputs, ["bucket", "rule.objectOwnership"]),
};

export const serverSideEncryption: TypeRules = {
    fields: {
        bucket: bucketName,
        // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html
        // botocore's s3 ServerSideEncryption enum also has aws:fsx (FSx for OpenZFS buckets), which the rule refused before.
        "rules.*.applyServerSideEncryptionByDefault.sseAlgorithm": oneOf(["AES256", "aws:fsx", "aws:kms", "aws:kms:dsse"]),
    },
    relations: (inputs) => required(inputs, ["bucket", "rules"]),
};

export const lifecycleConfiguration: TypeRules = {
    fields: {
        bucket: bucketName,
        // https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html
        "rules.*.id": length(1, 255),
        "rules.*.status": oneOf(["Enabled", "Disabled"]),
        // https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleExpiration.html
        "rules.*.expiration.days": int(1, 2 ** 31 - 1),
        // https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortIncompleteMultipartUpload.html
        "rules.*.abortIncompleteMultipartUpload.daysAfterInitiation": int(1, 2 ** 31 - 1),
    },
    relations: (inputs) => {
        const rules = items(inputs, "rules");
        const ids = rules.map(({ item }) => (item as Inputs).id);
        // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html (up to 1,000 rules)
        return [
            ...required(inputs, ["bucket", "rules"]),
            ...violation("rules", rules.length, rules.length > 1000 ? "at most 1,000 rules" : undefined),
            ...violation("rules", ids, new Set(ids).size !== ids.length ? "rule IDs must be unique" : undefined),
            ...rules.flatMap(({ item, path }) => required(item, ["id", "status"], path)),
        ];
    },
};

export const bucketPolicy: TypeRules = {
    fields: { bucket: bucketName },
    relations: (inputs) => {
        const name = String(inputs.bucket ?? "");
        return [
            ...required(inputs, ["bucket", "policy"]),
            // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html (bucket policies are limited to 20 KB)
            ...violation("policy", inputs.policy, typeof inputs.policy === "string" && Buffer.byteLength(inputs.policy) > 20480
                ? "must be at most 20 KB" : undefined),
            ...document(inputs, "policy", (doc, property) => [
                ...policyDocument(doc, property, "resource"),
                ...ownResources(doc, property, name),
            ]),
        ];
    },
};

// S3 refuses a bucket policy naming resources of another bucket ("Policy has invalid resource").
function ownResources(doc: unknown, property: string, name: string): Violation[] {
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html (Resource: the bucket and its objects)
    const statements = isRecord(doc) ? ([] as unknown[]).concat(doc.Statement ?? []) : [];
    return statements.flatMap((s, i) => {
        const resources = isRecord(s) ? ([] as unknown[]).concat(s.Resource ?? s.NotResource ?? []) : [];
        const foreign = resources.find((r) => typeof r !== "string" || !new RegExp(`^arn:aws[a-z-]*:s3:::${name.replace(/[.]/g, "\\.")}(/.*)?$`).test(r));
        return violation(`${property}.Statement.${i}.Resource`, foreign, foreign !== undefined ? `must be the bucket ${name} or its objects` : undefined);
    });
}
