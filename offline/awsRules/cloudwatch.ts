// CloudWatch: log groups, metric alarms and dashboards.
import {
    Check, Context, Inputs, Violation, all, arn, bool, checkName, checkSpec, document, each, int, isRecord, items, join, length,
    maxItems, notPrefixed, numberOf, oneOf, pattern, required, tags, violation,
} from "./check";

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html (retentionInDays)
const retentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export function logGroup(inputs: Inputs, context: Context): Violation[] {
    return [
        // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html (logGroupName)
        ...checkName(inputs, context, [length(1, 512), pattern(/^[.\-_/#A-Za-z0-9]+$/, "[\\.\\-_/#A-Za-z0-9]+"), notPrefixed(["aws/"])]),
        ...checkSpec(inputs, {
            // 0 is the provider's "never expire": it sends no retention policy.
            retentionInDays: (v) => numberOf(v) === 0 ? undefined : oneOf(retentionDays)(numberOf(v)),
            // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html (logGroupClass)
            logGroupClass: oneOf(["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"]),
            kmsKeyId: arn("kms", "key/"),
            skipDestroy: bool,
        }),
        ...tags(inputs),
    ];
}

// ---- metric alarms ----

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
const period: Check = (v) => {
    const n = numberOf(v);
    return [10, 20, 30].includes(n) || (Number.isInteger(n) && n > 0 && n % 60 === 0) ? undefined : "must be 10, 20, 30 or a multiple of 60";
};
const statistics = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];
const operators = [
    "GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold",
    "LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold",
];
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (Unit, AlarmActions, Namespace)
const units = [
    "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits",
    "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
    "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
    "Terabits/Second", "Count/Second", "None",
];
const actionArns = [maxItems(5), each(all(length(1, 1024), pattern(/^arn:aws[a-z-]*:/, "an ARN")))];
const namespace = [length(1, 255), pattern(/^[^:].*$/, "a namespace not beginning with :")];

export function metricAlarm(inputs: Inputs, context: Context): Violation[] {
    return [
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
        ...checkName(inputs, context, [length(1, 255)]),
        ...required(inputs, ["comparisonOperator", "evaluationPeriods"]),
        ...checkSpec(inputs, {
            alarmDescription: length(0, 1024),
            comparisonOperator: oneOf(operators),
            evaluationPeriods: int(1, 2 ** 31 - 1),
            datapointsToAlarm: int(1, 2 ** 31 - 1),
            period,
            statistic: oneOf(statistics),
            extendedStatistic: pattern(/^(p|tm|wm|tc|ts|TM|WM|TC|TS|PR)\(?[0-9.:%]+\)?$|^p\d+(\.\d+)?$/, "a percentile or trimmed statistic such as p99"),
            metricName: length(1, 255),
            namespace,
            unit: oneOf(units),
            treatMissingData: oneOf(["breaching", "notBreaching", "ignore", "missing"]),
            evaluateLowSampleCountPercentiles: oneOf(["evaluate", "ignore"]),
            thresholdMetricId: length(1, 255),
            alarmActions: actionArns, okActions: actionArns, insufficientDataActions: actionArns,
            actionsEnabled: bool,
        }),
        ...dimensions(inputs.dimensions, "dimensions"),
        ...alarmRelations(inputs),
        ...metricQueries(inputs),
        ...tags(inputs),
    ];
}

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html (at most 30)
function dimensions(value: unknown, property: string): Violation[] {
    if (!isRecord(value)) {
        return [];
    }
    const entries = Object.entries(value);
    return [
        ...violation(property, entries.length, entries.length > 30 ? "at most 30 dimensions" : undefined),
        ...entries.flatMap(([name, v]) => [
            ...violation(`${property}.${name}`, name, length(1, 255)(name)),
            ...violation(`${property}.${name}`, v, length(1, 1024)(v)),
        ]),
    ];
}

// A metric alarm watches either one metric (name, namespace, period, statistic) or metric queries, not both.
function alarmRelations(inputs: Inputs): Violation[] {
    const single = inputs.metricName !== undefined;
    const queries = Array.isArray(inputs.metricQueries) && inputs.metricQueries.length > 0;
    const evaluations = numberOf(inputs.evaluationPeriods);
    const seconds = numberOf(inputs.period) * evaluations;
    const anomaly = inputs.thresholdMetricId !== undefined;
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
    return [
        ...violation("metricQueries", inputs.metricQueries, single === queries ? "exactly one of metricName or metricQueries" : undefined),
        ...(single ? required(inputs, ["namespace", "period"]) : []),
        ...violation("statistic", inputs.statistic, single && (inputs.statistic === undefined) === (inputs.extendedStatistic === undefined)
            ? "exactly one of statistic or extendedStatistic" : undefined),
        ...violation("threshold", inputs.threshold, inputs.threshold === undefined && !anomaly ? "is required unless thresholdMetricId is set" : undefined),
        ...violation("datapointsToAlarm", inputs.datapointsToAlarm, numberOf(inputs.datapointsToAlarm) > evaluations
            ? "must not exceed evaluationPeriods" : undefined),
        ...violation("evaluationPeriods", evaluations, seconds > (numberOf(inputs.period) < 3600 ? 86400 : 604800)
            ? "period x evaluationPeriods must be at most one day (periods under an hour) or seven days" : undefined),
    ];
}

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html
function metricQueries(inputs: Inputs): Violation[] {
    const list = items(inputs, "metricQueries");
    if (list.length === 0) {
        return [];
    }
    const ids = list.map(({ item }) => (item as Inputs).id);
    const returning = list.filter(({ item }) => (item as Inputs).returnData === true);
    return [
        ...violation("metricQueries", ids, new Set(ids).size !== ids.length ? "query ids must be unique" : undefined),
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (Metrics: one ReturnData true)
        ...violation("metricQueries", returning.length, returning.length !== 1 ? "exactly one query must have returnData true" : undefined),
        ...list.flatMap(({ item, path }) => metricQuery(item as Inputs, path)),
    ];
}

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricStat.html (Metric, Period, Stat required)
function metricQuery(q: Inputs, path: string): Violation[] {
    return [
        ...required(q, ["id"], path),
        ...checkSpec(q, {
            id: [length(1, 255), pattern(/^[a-z][a-zA-Z0-9_]*$/, "^[a-z][a-zA-Z0-9_]*$")],
            expression: length(1, 2048),
            label: length(0, 2048),
            period,
            accountId: pattern(/^\d{12}$/, "a 12-digit account ID"),
            "metric.metricName": length(1, 255),
            "metric.namespace": namespace,
            "metric.period": period,
            "metric.stat": length(1, 100),
            "metric.unit": oneOf(units),
        }, path),
        ...violation(path, q.id, (q.expression === undefined) === (q.metric === undefined) ? "exactly one of expression or metric" : undefined),
        ...(isRecord(q.metric) ? required(q.metric, ["metricName", "period", "stat"], join(path, "metric")) : []),
        ...dimensions(isRecord(q.metric) ? q.metric.dimensions : undefined, join(path, "metric.dimensions")),
    ];
}

// ---- dashboards ----

export function dashboard(inputs: Inputs): Violation[] {
    return [
        ...required(inputs, ["dashboardName", "dashboardBody"]),
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html
        ...checkSpec(inputs, { dashboardName: [length(1, 255), pattern(/^[A-Za-z0-9_-]+$/, "[A-Za-z0-9_-]+")] }),
        ...dashboardBody(inputs),
    ];
}

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
function dashboardBody(inputs: Inputs): Violation[] {
    return document(inputs, "dashboardBody", (doc) => {
        if (!isRecord(doc) || !Array.isArray(doc.widgets)) {
            return violation("dashboardBody.widgets", isRecord(doc) ? doc.widgets : doc, "is required: a list of widgets");
        }
        return [
            ...checkSpec(doc, { periodOverride: oneOf(["auto", "inherit"]) }, "dashboardBody"),
            ...items(doc, "widgets", "dashboardBody").flatMap(({ item, path }) => widget(item, path)),
        ];
    });
}

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html (widget fields)
function widget(w: unknown, path: string): Violation[] {
    const type = isRecord(w) ? w.type : undefined;
    return [
        ...required(w, ["type", "properties"], path),
        ...checkSpec(w, {
            type: oneOf(["metric", "text", "log", "alarm", "explorer"]),
            x: int(0, 23), y: int(0, 2 ** 31 - 1), width: int(1, 24), height: int(1, 1000),
        }, path),
        ...(type === "text" ? required(w, ["properties.markdown"], path) : []),
        ...(type === "alarm" ? required(w, ["properties.alarms"], path) : []),
        ...(type === "log" ? required(w, ["properties.query"], path) : []),
        ...(type === "metric" ? metricWidget(w as Inputs, path) : []),
    ];
}

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html (metric widget properties)
// A metric widget graphs metrics (arrays of namespace, name, dimension pairs, options) or alarm annotations.
function metricWidget(w: Inputs, path: string): Violation[] {
    const properties = isRecord(w.properties) ? w.properties : {};
    const metrics = properties.metrics;
    const annotated = isRecord(properties.annotations) && Array.isArray(properties.annotations.alarms);
    return [
        ...violation(join(path, "properties.metrics"), metrics, metrics === undefined && !annotated
            ? "a metric widget needs metrics or alarm annotations" : undefined),
        ...violation(join(path, "properties.metrics"), metrics, metrics !== undefined && !(Array.isArray(metrics) && metrics.every(Array.isArray))
            ? "must be a list of metric arrays" : undefined),
        ...checkSpec(properties, {
            view: oneOf(["timeSeries", "singleValue", "gauge", "bar", "pie", "table"]),
            stat: length(1, 100),
            // The widget's period: 1, 5, 10, 30, 60 or a multiple of 60.
            period: (v) => [1, 5, 10, 30].includes(numberOf(v)) ? undefined : period(v),
            region: pattern(/^[a-z]{2}(-[a-z]+)+-\d$/, "a region name"),
        }, join(path, "properties")),
        ...required(w, ["properties.region"], path),
    ];
}
