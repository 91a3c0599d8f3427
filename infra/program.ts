import { getAvailabilityZones } from "@pulumi/aws/getAvailabilityZones";
import * as pulumi from "@pulumi/pulumi";
import { capacitySummary, renderCapacitySummary } from "./models/capacitySummary";
import { ConfigError, loadStackConfig, StackConfig } from "./config";
import { estimateCost } from "./cost/estimate";
import { renderEstimateText } from "./cost/render";
import { costInputs } from "./cost/inputs";
import { EcsOnEc2Stack } from "./stack";

/**
 * The Pulumi program: config validated first, then the AZs checked against the region's, so a bad value
 * stops the run before any resource is registered; then the stack, and its outputs.
 */
export async function program() {
    checkStackName(pulumi.getStack());
    const config = loadStackConfig();
    await checkAvailabilityZones(config);
    const stack = new EcsOnEc2Stack(pulumi.getProject(), config);
    if (pulumi.runtime.isDryRun()) {
        // What a reviewer of `pulumi preview` should see before anything is billed.
        const summary = capacitySummary(stack.capacity);
        pulumi.log.info(`Capacity:\n${(summary ? renderCapacitySummary(summary) : []).join("\n")}`, stack);
        pulumi.log.info(renderEstimateText(estimateCost(costInputs(config))), stack);
    }
    return {
        url: stack.url,
        region: config.region,
        availabilityZones: config.availabilityZones,
        clusterName: stack.clusterName,
        autoScalingGroupName: stack.autoScalingGroupName,
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

/** Refuses configured AZs the region does not have (or this account cannot use). */
async function checkAvailabilityZones(config: StackConfig): Promise<void> {
    const { names } = await getAvailabilityZones({ state: "available" });
    const missing = config.availabilityZones.filter((az) => !names.includes(az));
    if (missing.length > 0) {
        throw new ConfigError(`${pulumi.getProject()}:availabilityZones`, JSON.stringify(config.availabilityZones),
            `AZs that exist in ${config.region} (${missing.join(", ")} does not; available: ${names.join(", ")})`);
    }
}
