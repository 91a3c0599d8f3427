import { getInstanceTypeOfferings } from "@pulumi/aws/ec2/getInstanceTypeOfferings";
import { getAvailabilityZones } from "@pulumi/aws/getAvailabilityZones";
import { Provider } from "@pulumi/aws/provider";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, loadStackConfig, StackConfig } from "./config";
import { CostEstimate, estimateCost } from "./cost/estimate";
import { costInputs } from "./cost/inputs";
import { renderEstimateText } from "./cost/render";
import { checkCapacity } from "./models/capacity";
import { CapacitySummary, capacitySummary, renderCapacitySummary } from "./models/capacitySummary";
import { fleetOf } from "./models/fleet";
import { stackTags } from "./models/tags";
import { EcsOnEc2Stack } from "./stack";

/** What the program found of the fleet before registering anything: the capacity model's summary and the cost estimate. */
export interface ProgramReport {
    /** Absent when the instance type is not in the capacity table (then the config is refused). */
    readonly capacity?: CapacitySummary;
    readonly estimate: CostEstimate;
}

/**
 * The Pulumi program: config validated first, then the services checked against their hosts, then (through the
 * stack's AWS provider) the AZs against the region's, so a bad value stops the run before any AWS resource is
 * registered; then the stack, and its outputs. `report`, when given (the offline plan), receives what the program computed.
 */
export async function program(report?: (found: ProgramReport) => void) {
    checkStackName(pulumi.getStack());
    const config = loadStackConfig();
    const fleet = fleetOf(config);
    const capacity = checkCapacity(fleet);
    if (capacity.errors.length > 0) {
        throw new CapacityError(capacity.errors);
    }
    const summary = capacitySummary(capacity);
    const estimate = estimateCost(costInputs(config, fleet));
    report?.({ capacity: summary, estimate });

    // Every resource and look-up goes through this provider: its default tags put the project and the stack on each
    // resource that takes tags. It is registered first, since the AZ checks read through it; no AWS resource is yet.
    const tags = stackTags(pulumi.getProject(), pulumi.getStack(), config.accountTags);
    const provider = new Provider("aws", { region: config.region, defaultTags: { tags } });
    await checkAvailabilityZones(config, provider);
    const stack = new EcsOnEc2Stack(pulumi.getProject(), config, fleet, tags, { providers: [provider] });
    for (const warning of capacity.warnings) {
        pulumi.log.warn(warning, stack);
    }
    if (pulumi.runtime.isDryRun()) {
        // What a reviewer of `pulumi preview` should see before anything is billed.
        pulumi.log.info(`Capacity:\n${(summary ? renderCapacitySummary(summary) : []).join("\n")}`, stack);
        pulumi.log.info(renderEstimateText(estimate), stack);
    }
    return {
        url: stack.url,
        region: config.region,
        availabilityZones: config.availabilityZones,
        clusterName: stack.clusterName,
        autoScalingGroupName: stack.autoScalingGroupName,
        hostSecurityGroupId: stack.hostSecurityGroupId,
        dashboardUrl: stack.dashboardUrl,
        alarmTopicArn: stack.alarmTopicArn,
        services: stack.services,
    };
}

/**
 * The stack's name becomes part of AWS names (`ecs-on-ec2-<stack>`: the cluster, task families, the
 * dashboard), which allow letters, digits, hyphens and underscores only, so `prod.eu` is refused here
 * rather than by ECS half-way through an up.
 */
function checkStackName(stack: string): void {
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(stack)) {
        throw new pulumi.RunError(`Stack name ${JSON.stringify(stack)} cannot be used: it becomes part of the ECS cluster's, the task `
            + "families' and the dashboard's names, which take letters, digits, - and _ only. Create the stack under such a name.");
    }
}

/**
 * Refuses configured AZs the region does not have (or this account cannot use), and AZs that do not offer
 * the hosts' instance type: the Auto Scaling group would fail at `up`, after the ALB, IAM and ECR exist.
 */
async function checkAvailabilityZones(config: StackConfig, provider: Provider): Promise<void> {
    const key = `${pulumi.getProject()}:availabilityZones`;
    const { names } = await getAvailabilityZones({ state: "available" }, { provider });
    const missing = config.availabilityZones.filter((az) => !names.includes(az));
    if (missing.length > 0) {
        throw new ConfigError(key, JSON.stringify(config.availabilityZones),
            `AZs that exist in ${config.region} (${missing.join(", ")} does not; available: ${names.join(", ")})`);
    }
    const { locations } = await getInstanceTypeOfferings({
        locationType: "availability-zone",
        filters: [{ name: "instance-type", values: [config.instanceType] }, { name: "location", values: [...config.availabilityZones] }],
    }, { provider });
    const lacking = config.availabilityZones.filter((az) => !locations.includes(az));
    if (lacking.length > 0) {
        throw new ConfigError(key, JSON.stringify(config.availabilityZones),
            `AZs that offer the hosts' instance type ${config.instanceType} (${lacking.join(", ")} does not: choose other AZs or another instanceType)`);
    }
}

/** The config asks for more than the hosts can hold; thrown before any resource is registered. */
export class CapacityError extends pulumi.RunError {
    constructor(problems: string[]) {
        super(`The services do not fit their hosts:\n- ${problems.join("\n- ")}`);
        this.name = "CapacityError";
    }
}
