// SNS topics and subscriptions.
import { Check, Context, Inputs, Violation, arn, bool, checkName, checkSpec, document, length, oneOf, pattern, required, tags, violation } from "./check";
import { policyDocument } from "./iam";

export function topic(inputs: Inputs, context: Context): Violation[] {
    const fifo = inputs.fifoTopic === true;
    return [
        // https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (Name: 1-256 of [A-Za-z0-9_-], FIFO names end in .fifo)
        ...checkName(inputs, context, [
            length(1, 256),
            fifo ? pattern(/^[A-Za-z0-9_-]+\.fifo$/, "[A-Za-z0-9_-]+ ending in .fifo") : pattern(/^[A-Za-z0-9_-]+$/, "[A-Za-z0-9_-]+"),
        ]),
        // https://docs.aws.amazon.com/sns/latest/api/API_SetTopicAttributes.html
        ...checkSpec(inputs, {
            displayName: length(0, 100),
            fifoTopic: bool,
            contentBasedDeduplication: bool,
            kmsMasterKeyId: length(1, 2048),
            fifoThroughputScope: oneOf(["Topic", "MessageGroup"]),
            tracingConfig: oneOf(["PassThrough", "Active"]),
            signatureVersion: oneOf([1, 2]),
        }),
        ...violation("contentBasedDeduplication", inputs.contentBasedDeduplication, inputs.contentBasedDeduplication === true && !fifo
            ? "applies to FIFO topics only" : undefined),
        ...document(inputs, "policy", (doc, property) => policyDocument(doc, property, "resource")),
        ...document(inputs, "deliveryPolicy", () => []),
        ...tags(inputs),
    ];
}

// https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html (Endpoint, per protocol)
const endpoints: Readonly<Record<string, Check>> = {
    http: pattern(/^http:\/\/\S+$/, "a URL beginning with http://"),
    https: pattern(/^https:\/\/\S+$/, "a URL beginning with https://"),
    email: pattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "an email address"),
    "email-json": pattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "an email address"),
    sms: pattern(/^\+?[1-9]\d{1,14}$/, "an E.164 phone number"),
    sqs: arn("sqs"),
    application: arn("sns", "app/"),
    lambda: arn("lambda", "function:"),
    firehose: arn("firehose", "deliverystream/"),
};

export function topicSubscription(inputs: Inputs): Violation[] {
    const protocol = String(inputs.protocol);
    const endpoint = endpoints[protocol];
    return [
        ...required(inputs, ["topic", "protocol", "endpoint"]),
        ...checkSpec(inputs, { topic: arn("sns"), protocol: oneOf(Object.keys(endpoints)), rawMessageDelivery: bool, endpointAutoConfirms: bool }),
        ...(endpoint === undefined ? [] : checkSpec(inputs, { endpoint })),
        // https://docs.aws.amazon.com/sns/latest/api/API_SetSubscriptionAttributes.html
        ...checkSpec(inputs, { filterPolicyScope: oneOf(["MessageAttributes", "MessageBody"]), subscriptionRoleArn: arn("iam", "role/") }),
        ...violation("subscriptionRoleArn", inputs.subscriptionRoleArn, protocol === "firehose" && inputs.subscriptionRoleArn === undefined
            ? "is required for firehose subscriptions" : undefined),
        ...violation("rawMessageDelivery", inputs.rawMessageDelivery, inputs.rawMessageDelivery === true
            && !["http", "https", "sqs", "firehose"].includes(protocol) ? "applies to http, https, sqs and firehose only" : undefined),
        ...document(inputs, "filterPolicy", () => []),
        ...document(inputs, "deliveryPolicy", () => []),
        ...document(inputs, "redrivePolicy", () => []),
    ];
}
