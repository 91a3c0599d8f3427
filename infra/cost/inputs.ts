import { StackConfig } from "../config";
import { rootVolumeGiB } from "../components/ecsCluster";
import { Fleet } from "../models/fleet";
import { onServiceConnect } from "../models/serviceConnect";
import { CostInputs } from "./estimate";

/** What the cost estimate needs to know of the stack: its fleet at both ends, and every billed extra it has. */
export function costInputs(config: StackConfig, fleet: Fleet): CostInputs {
    return {
        region: config.region,
        instanceType: fleet.instanceType,
        hosts: fleet.hosts,
        rootVolumeGiB,
        availabilityZones: fleet.availabilityZones.length,
        services: config.services.map((s) => ({
            name: s.name, tasks: { min: s.desiredCount, max: s.maxCount }, web: s.type === "web", ...(s.type === "job" ? { job: true } : {}),
        })),
        serviceConnect: config.services.some(onServiceConnect),
        containerInsights: config.containerInsights,
        albAccessLogs: config.albAccessLogs,
        logRetentionInDays: config.logRetentionInDays,
        https: config.https && { hostedZone: config.https.hostedZoneId !== undefined, certificateRequested: config.https.certificateArn === undefined },
        // infra/components/webAcl.ts: two managed rule groups and one rate-based rule.
        waf: config.waf && { managedRuleGroups: 2, rateBasedRules: 1 },
        // infra/resources/deploymentAlarms.ts: two single-metric alarms (unhealthy targets, target connection errors) and one over
        // two metrics; infra/resources/serviceAutoscaling.ts: two policies, one (CPU) for a backend or worker, which has no ALB
        // alarms (infra/resources/ecsService.ts); a job's failed-run alarm (infra/resources/jobSchedule.ts).
        alarms: {
            singleMetricPerService: 2, metricMathMetricsPerService: [2], targetTrackingPoliciesPerService: 2,
            targetTrackingPoliciesPerInternalService: 1, singleMetricPerJob: 1,
        },
        dashboards: 1,
        alarmEmail: config.alarmEmail !== undefined,
        assumptions: config.costAssumptions,
    };
}
