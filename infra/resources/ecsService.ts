import * as ecs from "@pulumi/aws/ecs";
import * as pulumi from "@pulumi/pulumi";
import { ChildOptions } from "../aliases";
import { EcsCluster } from "../components/ecsCluster";
import { LoadBalancer } from "../components/loadBalancer";
import { ServiceConfig } from "../config";
import { rollingDeployment } from "../models/fleet";
import { onServiceConnect } from "../models/serviceConnect";
import { AlbIngress } from "./albIngress";

export interface EcsServiceArgs {
    readonly service: ServiceConfig;
    readonly cluster: EcsCluster;
    readonly taskDefinition: ecs.TaskDefinition;
    /** A web service's target group, rule and deployment alarms; absent for a backend or a worker. */
    readonly ingress?: AlbIngress;
    readonly loadBalancer: LoadBalancer;
    /**
     * The security-group rules its tasks use: the hosts' group's, and for a web service the ALB's too. The service
     * depends on them, so that `pulumi destroy` deletes them only after the service has drained and is gone.
     */
    readonly securityGroupRules: { readonly host: readonly pulumi.Resource[]; readonly alb: readonly pulumi.Resource[] };
    /** The service's tag (infra/models/tags.ts), which its tasks inherit with the stack's. */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * The ECS service: its tasks spread over AZs then hosts, behind the ALB for a web service, on Service Connect when it
 * calls or serves others; a deploy that fails its health checks (or trips a web service's alarms) rolls back.
 */
export function ecsServiceFor(args: EcsServiceArgs, child: ChildOptions): ecs.Service {
    const { service, cluster, taskDefinition, ingress, loadBalancer, tags } = args;
    const name = service.name;
    const alarms = ingress?.alarms ?? [];
    return new ecs.Service(`${name}-service`, {
        cluster: cluster.cluster.arn,
        taskDefinition: taskDefinition.arn,
        desiredCount: service.desiredCount,
        capacityProviderStrategies: cluster.capacityProviderStrategies,
        // The console's "AZ balanced spread".
        orderedPlacementStrategies: [
            { type: "spread", field: "attribute:ecs.availability-zone" },
            { type: "spread", field: "instanceId" },
        ],
        // After an AZ recovers, ECS moves tasks back so the spread is even again.
        availabilityZoneRebalancing: "ENABLED",
        // ECS takes a health check grace period only from a service behind a load balancer.
        ...(ingress ? {
            loadBalancers: [{ targetGroupArn: ingress.targetGroup.arn, containerName: name, containerPort: service.containerPort }],
            healthCheckGracePeriodSeconds: 30,
        } : {}),
        ...serviceConnectConfiguration(service, cluster),
        deploymentMinimumHealthyPercent: rollingDeployment.minimumHealthyPercent,
        deploymentMaximumPercent: rollingDeployment.maximumPercent,
        // A deploy whose new tasks never turn healthy, or that trips an alarm, rolls back to the previous revision.
        // A backend or worker has no ALB alarms, only the circuit breaker: a CPU alarm would roll back a deploy
        // for the load that its CPU autoscaling is there to answer.
        deploymentCircuitBreaker: { enable: true, rollback: true },
        ...(alarms.length > 0 ? { alarms: { alarmNames: alarms.map((alarm) => alarm.name), enable: true, rollback: true } } : {}),
        waitForSteadyState: true,
        // Off unless the service has `exec`: ECS then starts the SSM agent in each new task (not in running ones).
        ...(service.exec ? { enableExecuteCommand: true } : {}),
        // Its tasks carry its tags (the stack's and the service's) and ECS's own (cluster and service names).
        propagateTags: "SERVICE",
        enableEcsManagedTags: true,
        tags,
    // Autoscaling owns the running count once the service exists; config moves its floor instead.
    // ECS refuses a target group that no listener or rule of a load balancer forwards to: the service comes after
    // its rule, or, for the default route, after the listeners (whose default action forwards to it).
    }, child(`${name}-service`, {
        dependsOn: [...(ingress ? [...(ingress.rule ? [ingress.rule] : []), ...loadBalancer.listeners] : []), cluster.clusterCapacityProviders,
            ...args.securityGroupRules.host, ...(ingress ? args.securityGroupRules.alb : [])],
        ignoreChanges: ["desiredCount"],
    }));
}

/**
 * The service's place on Service Connect, in the cluster's namespace: a backend is a server, its port (named after
 * it) discovered as, and called at, `http://<name>:<containerPort>`; a web service with `connect` only a client;
 * any other service none. https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectConfiguration.html
 */
function serviceConnectConfiguration(service: ServiceConfig, cluster: EcsCluster): Pick<ecs.ServiceArgs, "serviceConnectConfiguration"> {
    const namespace = cluster.serviceConnectNamespace?.arn;
    if (!onServiceConnect(service) || namespace === undefined) {
        return {};
    }
    return {
        serviceConnectConfiguration: {
            enabled: true,
            namespace,
            ...(service.type === "backend" ? {
                services: [{
                    portName: service.name,
                    discoveryName: service.name,
                    clientAlias: [{ port: service.containerPort, dnsName: service.name }],
                }],
            } : {}),
        },
    };
}
