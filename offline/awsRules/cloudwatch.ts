// CloudWatch: log groups, metric alarms and dashboards.
import { logRetentionDays } from "../../infra/awsLimits";
import {
    Check, Inputs, TypeRules, Violation, all, document, each, int, isRecord, items, join, length, maxItems, notPrefixed, numberOf,
    oneOf, pattern, required, violation,
} from "./check";

export const logGroup: TypeRules = {
    fields: {
        // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html (logGroupName)
        name: [length(1, 512), pattern(/^[.\-_/#A-Za-z0-9]+$/, "[\\.\\-_/#A-Za-z0-9]+"), notPrefixed(["aws/"])],
        // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html (retentionInDays)
        // 0 is the provider's "never expire": it sends no retention policy.
        retentionInDays: (v) => numberOf(v) === 0 ? undefined : oneOf(logRetentionDays)(numberOf(v)),
    },
};

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
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (AlarmActions, Namespace)
const actionArns = [maxItems(5), each(all(length(1, 1024), pattern(/^arn:aws[a-z-]*:/, "an ARN")))];
const namespace = [length(1, 255), pattern(/^[^:].*$/, "a namespace not beginning with :")];

export const metricAlarm: TypeRules = {
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
    fields: {
        name: length(1, 255),
        alarmDescription: length(0, 1024),
        comparisonOperator: oneOf(operators),
        evaluationPeriods: int(1, 2 ** 31 - 1),
        datapointsToAlarm: int(1, 2 ** 31 - 1),
        period,
        statistic: oneOf(statistics),
        metricName: length(1, 255),
        namespace,
        treatMissingData: oneOf(["breaching", "notBreaching", "ignore", "missing"]),
        alarmActions: actionArns, okActions: actionArns,
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html
        "metricQueries.*.id": [length(1, 255), pattern(/^[a-z][a-zA-Z0-9_]*$/, "^[a-z][a-zA-Z0-9_]*$")],
        "metricQueries.*.expression": length(1, 2048),
        "metricQueries.*.label": length(0, 2048),
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricStat.html
        "metricQueries.*.metric.metricName": length(1, 255),
        "metricQueries.*.metric.namespace": namespace,
        "metricQueries.*.metric.period": period,
        "metricQueries.*.metric.stat": length(1, 100),
    },
    relations: (inputs) => [
        ...required(inputs, ["comparisonOperator", "evaluationPeriods"]),
        ...dimensions(inputs.dimensions, "dimensions"),
        ...alarmRelations(inputs),
        ...metricQueries(inputs),
    ],
};

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
        ...violation(path, q.id, (q.expression === undefined) === (q.metric === undefined) ? "exactly one of expression or metric" : undefined),
        ...(isRecord(q.metric) ? required(q.metric, ["metricName", "period", "stat"], join(path, "metric")) : []),
        ...dimensions(isRecord(q.metric) ? q.metric.dimensions : undefined, join(path, "metric.dimensions")),
    ];
}

// ---- dashboards ----

export const dashboard: TypeRules = {
    fields: {
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html
        dashboardName: [length(1, 255), pattern(/^[A-Za-z0-9_-]+$/, "[A-Za-z0-9_-]+")],
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html (widget fields)
        "dashboardBody.widgets.*.type": oneOf(["metric", "text", "log", "alarm", "explorer"]),
        "dashboardBody.widgets.*.width": int(1, 24),
        "dashboardBody.widgets.*.height": int(1, 1000),
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html (metric widget properties)
        "dashboardBody.widgets.*.properties.view": oneOf(["timeSeries", "singleValue", "gauge", "bar", "pie", "table"]),
        "dashboardBody.widgets.*.properties.stat": length(1, 100),
        // The widget's period: 1, 5, 10, 30, 60 or a multiple of 60.
        "dashboardBody.widgets.*.properties.period": (v) => [1, 5, 10, 30].includes(numberOf(v)) ? undefined : period(v),
        "dashboardBody.widgets.*.properties.region": pattern(/^[a-z]{2}(-[a-z]+)+-\d$/, "a region name"),
    },
    relations: (inputs) => [
        ...required(inputs, ["dashboardName", "dashboardBody"]),
        ...document(inputs, "dashboardBody", (doc) => isRecord(doc) && Array.isArray(doc.widgets)
            ? items(doc, "widgets", "dashboardBody").flatMap(({ item, path }) => widget(item, path))
            : violation("dashboardBody.widgets", isRecord(doc) ? doc.widgets : doc, "is required: a list of widgets")),
    ],
};

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html (widget fields)
function widget(w: unknown, path: string): Violation[] {
    const type = isRecord(w) ? w.type : undefined;
    return [
        ...required(w, ["type", "properties"], path),
        ...(type === "text" ? required(w, ["properties.markdown"], path) : []),
        ...(type === "alarm" ? required(w, ["properties.alarms"], path) : []),
        ...(type === "log" ? required(w, ["properties.query"], path) : []),
        ...(type === "metric" ? metricWidget(w as Inputs, path) : []),
    ];
}

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
        ...required(w, ["properties.region"], path),
    ];
}
