import type { StackConfig } from "../config";
import { CapacityInput } from "./capacity";
import { dynamicHostPorts } from "./hostUserData";
import { onServiceConnect, serviceConnectProxy } from "./serviceConnect";

/** How ECS rolls a service: all new tasks start before old ones stop, and it never drops below the desired count. */
export const rollingDeployment = { minimumHealthyPercent: 100, maximumPercent: 200 } as const;

/**
 * The cluster's fleet as the config asks for it: the hosts at the Auto Scaling group's minimum and
 * maximum, and every service's tasks at its desired count and autoscaling maximum. The one derivation
 * the hosts, the capacity check and the cost estimate all read.
 */
export interface Fleet extends CapacityInput {
    /** The Auto Scaling group's size. */
    readonly hosts: { readonly min: number; readonly max: number };
}

/** Hosts at the Auto Scaling group's minimum: `hostsPerAz` in every AZ. */
export function minimumHosts(hostsPerAz: number, availabilityZones: number): number {
    return hostsPerAz * availabilityZones;
}

export function fleetOf(config: StackConfig): Fleet {
    return {
        availabilityZones: config.availabilityZones,
        instanceType: config.instanceType,
        hostsPerAz: config.hostsPerAz,
        asgMaxSize: config.asgMaxSize,
        hosts: { min: minimumHosts(config.hostsPerAz, config.availabilityZones.length), max: config.asgMaxSize },
        hostPortRange: dynamicHostPorts,
        services: config.services.map((service) => ({
            name: service.name,
            desiredCount: service.desiredCount,
            maxDesiredCount: service.maxCount,
            // A task on Service Connect reserves its proxy's share too (infra/models/serviceConnect.ts).
            taskMemoryMiB: service.memory + (onServiceConnect(service) ? serviceConnectProxy.memoryMiB : 0),
            taskCpuUnits: service.cpu + (onServiceConnect(service) ? serviceConnectProxy.cpuUnits : 0),
            ...(service.type === "worker" || service.type === "job" ? { portless: true } : {}),
            // A job's run is its desiredCount tasks (its maxCount is the same), counted as running beside the services'
            // tasks, at their steady state and at their deploy peaks alike: a run may fall at any time. A deploy does not
            // roll a run (the next run starts the new revision), and Scheduler retries only a RunTask call that started
            // no task, so a run never has more. Assumed: a run ends before the next one starts (runs do not pile up).
            deploymentMaximumPercent: service.type === "job" ? 100 : rollingDeployment.maximumPercent,
            azLossFloor: service.azLossFloor,
        })),
    };
}
