// SNS topics and subscriptions.
import { Check, TypeRules, arn, checkSpec, length, oneOf, pattern, required } from "./check";

// https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (Name: 1-256 of [A-Za-z0-9_-]; the stack's topics are standard)
export const topic: TypeRules = { fields: { name: [length(1, 256), pattern(/^[A-Za-z0-9_-]+$/, "[A-Za-z0-9_-]+")] } };

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

export const topicSubscription: TypeRules = {
    fields: { topic: arn("sns"), protocol: oneOf(Object.keys(endpoints)) },
    relations: (inputs) => {
        const endpoint = endpoints[String(inputs.protocol)];
        return [
            ...required(inputs, ["topic", "protocol", "endpoint"]),
            ...(endpoint === undefined ? [] : checkSpec(inputs, { endpoint })),
        ];
    },
};
