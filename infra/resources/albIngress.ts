import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as lb from "@pulumi/aws/lb";
import type * as types from "@pulumi/aws/types";
import * as pulumi from "@pulumi/pulumi";
import { ChildOptions } from "../aliases";
import { LoadBalancer } from "../components/loadBalancer";
import { ServiceConfig } from "../config";
import { ServiceRoute } from "../models/routing";
import { deploymentAlarms } from "./deploymentAlarms";

export interface AlbIngressArgs {
    readonly service: ServiceConfig;
    /** Where the ALB routes to it. */
    readonly route: ServiceRoute;
    readonly loadBalancer: LoadBalancer;
    readonly vpcId: pulumi.Input<string>;
    /** SNS topic the deployment alarms notify. */
    readonly alarmTopicArn: pulumi.Input<string>;
    /** The service's tag (infra/models/tags.ts), on each of these; the provider adds the stack's. */
    readonly tags: Readonly<Record<string, string>>;
}

/** What a web service has on the ALB. */
export interface AlbIngress {
    readonly targetGroup: lb.TargetGroup;
    /** Its listener rule; none for the default route, which the serving listener's default action forwards. */
    readonly rule?: lb.ListenerRule;
    readonly alarms: cloudwatch.MetricAlarm[];
}

/**
 * A web service's way in from the ALB: its target group, its listener rule (none for the default route: the serving
 * listener's default action forwards to it, so that its becoming or ceasing to be the default route moves no rule's
 * priority), and the alarms its deployments watch.
 */
export function albIngress(args: AlbIngressArgs, child: ChildOptions): AlbIngress {
    const { service, route, loadBalancer, tags } = args;
    const name = service.name;
    const targetGroup = new lb.TargetGroup(`${name}-tg`, {
        vpcId: args.vpcId,
        targetType: "instance",
        protocol: "HTTP",
        // ECS registers each task with its own dynamic host port; this is only the group's default.
        port: service.containerPort,
        // Requests to the app last 10 s at most (its /delay bound); in-flight ones finish within this.
        deregistrationDelay: 15,
        healthCheck: {
            path: service.healthCheckPath,
            protocol: "HTTP",
            port: "traffic-port",
            matcher: "200",
            // AWS's fastest: two checks 5 s apart mark a target unhealthy, or healthy, in about 10 s.
            interval: 5,
            timeout: 2,
            healthyThreshold: 2,
            unhealthyThreshold: 2,
        },
        tags,
    }, child(`${name}-tg`));
    const rule = route.priority === undefined ? undefined : new lb.ListenerRule(`${name}-route`, {
        listenerArn: loadBalancer.servingListener.arn,
        priority: route.priority,
        actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        conditions: routeConditions(route),
        tags,
    }, child(`${name}-route`));
    const alarms = deploymentAlarms(name, {
        targetGroupArnSuffix: targetGroup.arnSuffix,
        loadBalancerArnSuffix: loadBalancer.alb.arnSuffix,
        thresholds: service.alarms,
        topicArn: args.alarmTopicArn,
        tags,
    }, child);
    return { targetGroup, rule, alarms };
}

/** The listener rule's conditions: the service's path patterns and host headers (the default route has no rule). */
function routeConditions(route: ServiceRoute): types.input.lb.ListenerRuleCondition[] {
    const { pathPatterns, hostHeaders } = route;
    return [
        ...(pathPatterns.length > 0 ? [{ pathPattern: { values: [...pathPatterns] } }] : []),
        ...(hostHeaders.length > 0 ? [{ hostHeader: { values: [...hostHeaders] } }] : []),
    ];
}
