// S3: the bucket, its public-access, ownership, encryption and lifecycle settings, and its policy.
import {
    Check, Context, Inputs, Violation, bool, checkName, checkSpec, document, int, isRecord, items, length, oneOf,
    required, violation,
} from "./check";
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

export function bucket(inputs: Inputs, context: Context): Violation[] {
    return [
        ...checkName(inputs, context, [bucketName], "bucket"),
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html (a prefix leaves room for the unique suffix)
        ...checkSpec(inputs, { bucketPrefix: length(1, 37), forceDestroy: bool }),
        ...violation("bucketPrefix", inputs.bucketPrefix, inputs.bucket !== undefined && inputs.bucketPrefix !== undefined
            ? "bucket and bucketPrefix are mutually exclusive" : undefined),
    ];
}

const bucketRef = { bucket: bucketName };

export function publicAccessBlock(inputs: Inputs): Violation[] {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PublicAccessBlockConfiguration.html
    return [
        ...required(inputs, ["bucket"]),
        ...checkSpec(inputs, {
            ...bucketRef, blockPublicAcls: bool, blockPublicPolicy: bool, ignorePublicAcls: bool, restrictPublicBuckets: bool,
        }),
    ];
}

export function ownershipControls(inputs: Inputs): Violation[] {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_OwnershipControlsRule.html
    return [
        ...required(inputs, ["bucket", "rule.objectOwnership"]),
        ...checkSpec(inputs, { ...bucketRef, "rule.objectOwnership": oneOf(["BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"]) }),
    ];
}

export function serverSideEncryption(inputs: Inputs): Violation[] {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html
    return [
        ...required(inputs, ["bucket", "rules"]),
        ...checkSpec(inputs, bucketRef),
        ...items(inputs, "rules").flatMap(({ item, path }) => {
            const byDefault = isRecord(item) && isRecord(item.applyServerSideEncryptionByDefault) ? item.applyServerSideEncryptionByDefault : {};
            return [
                ...checkSpec(byDefault, { sseAlgorithm: oneOf(["AES256", "aws:kms", "aws:kms:dsse"]) }, `${path}.applyServerSideEncryptionByDefault`),
                ...violation(`${path}.applyServerSideEncryptionByDefault.kmsMasterKeyId`, byDefault.kmsMasterKeyId,
                    byDefault.kmsMasterKeyId !== undefined && byDefault.sseAlgorithm === "AES256" ? "a KMS key only goes with aws:kms encryption" : undefined),
                ...checkSpec(item, { bucketKeyEnabled: bool }, path),
            ];
        }),
    ];
}

export function lifecycleConfiguration(inputs: Inputs): Violation[] {
    const rules = items(inputs, "rules");
    const ids = rules.map(({ item }) => (item as Inputs).id);
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html (up to 1,000 rules)
    return [
        ...required(inputs, ["bucket", "rules"]),
        ...checkSpec(inputs, bucketRef),
        ...violation("rules", rules.length, rules.length > 1000 ? "at most 1,000 rules" : undefined),
        ...violation("rules", ids, new Set(ids).size !== ids.length ? "rule IDs must be unique" : undefined),
        ...rules.flatMap(({ item, path }) => lifecycleRule(item as Inputs, path)),
    ];
}

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html
function lifecycleRule(rule: Inputs, path: string): Violation[] {
    const expiration = isRecord(rule.expiration) ? rule.expiration : {};
    const expiryKinds = ["days", "date", "expiredObjectDeleteMarker"].filter((key) => expiration[key] !== undefined);
    return [
        ...required(rule, ["id", "status"], path),
        ...checkSpec(rule, {
            id: length(1, 255),
            status: oneOf(["Enabled", "Disabled"]),
            // https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleExpiration.html
            "expiration.days": int(1, 2 ** 31 - 1),
            "expiration.expiredObjectDeleteMarker": bool,
            // https://docs.aws.amazon.com/AmazonS3/latest/API/API_NoncurrentVersionExpiration.html
            "noncurrentVersionExpiration.noncurrentDays": int(1, 2 ** 31 - 1),
            // https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortIncompleteMultipartUpload.html
            "abortIncompleteMultipartUpload.daysAfterInitiation": int(1, 2 ** 31 - 1),
        }, path),
        ...violation(`${path}.expiration`, expiryKinds, expiryKinds.length > 1 ? "only one of days, date or expiredObjectDeleteMarker" : undefined),
        ...items(rule, "transitions", path).flatMap(({ item, path: p }) => checkSpec(item, {
            // https://docs.aws.amazon.com/AmazonS3/latest/API/API_Transition.html
            storageClass: oneOf(["GLACIER", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "DEEP_ARCHIVE", "GLACIER_IR"]),
            days: int(0, 2 ** 31 - 1),
        }, p)),
    ];
}

export function bucketPolicy(inputs: Inputs): Violation[] {
    const name = String(inputs.bucket ?? "");
    return [
        ...required(inputs, ["bucket", "policy"]),
        ...checkSpec(inputs, bucketRef),
        // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html (bucket policies are limited to 20 KB)
        ...violation("policy", inputs.policy, typeof inputs.policy === "string" && Buffer.byteLength(inputs.policy) > 20480
            ? "must be at most 20 KB" : undefined),
        ...document(inputs, "policy", (doc, property) => [
            ...policyDocument(doc, property, "resource"),
            ...ownResources(doc, property, name),
        ]),
    ];
}

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
