// SQS queues.
import { TypeRules, bool, int, length, pattern } from "./check";

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html (QueueName: 1-80 of
// [A-Za-z0-9_-], a FIFO queue's ending in .fifo; MessageRetentionPeriod 60-1,209,600 seconds)
export const queue: TypeRules = {
    fields: {
        name: [length(1, 80), pattern(/^[A-Za-z0-9_-]+(\.fifo)?$/, "[A-Za-z0-9_-]+, .fifo for a FIFO queue")],
        messageRetentionSeconds: int(60, 1209600),
        sqsManagedSseEnabled: bool,
    },
};
