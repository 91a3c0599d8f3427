import * as pulumi from "@pulumi/pulumi";

/**
 * Where the children of some components were registered before the stack was split into components:
 * directly under the stack, some under other names. Aliasing them there keeps their URNs, so a stack
 * deployed from the earlier code updates them in place instead of replacing the ALB, the cluster or the
 * hosts. Keyed by the component's class and name; each entry maps a child's name today to its name then
 * (a child not listed kept its name).
 */
const formerNames: Readonly<Record<string, Readonly<Record<string, string>>>> = {
    "Network/network": {},
    "EcsCluster/cluster": {},
    "LoadBalancer/load-balancer": {},
    "ImageRepository/app": { "app-repository": "repository", "app-repository-lifecycle": "repository-lifecycle" },
    "WebService/app": {
        "app-task-execution-role": "task-execution-role",
        "app-task-execution-policy": "task-execution-policy",
        "app-task-role": "task-role",
        "app-task-definition": "task-definition",
        "app-tg": "target-group",
        "app-service": "service",
        "app-service-scalable-target": "service-scalable-target",
        "app-service-requests-per-target": "service-requests-per-target",
        "app-service-cpu": "service-cpu",
    },
};

// The stack component's type; program.ts names it after the project.
const stackType = "ecs-on-ec2:index:EcsOnEc2Stack";

/** Options for a child resource of the calling component, by name. */
export type ChildOptions = (name: string, extra?: pulumi.CustomResourceOptions) => pulumi.CustomResourceOptions;

/** The options for each child of `component` (named `name`): parented to it, and aliased to its former home when it had one. */
export function childOptionsOf(component: pulumi.ComponentResource, name: string): ChildOptions {
    const former = formerNames[`${component.constructor.name}/${name}`];
    const stack = former && pulumi.createUrn(pulumi.getProject(), stackType);
    return (childName, extra = {}) => ({
        ...extra,
        parent: component,
        aliases: former && [{ parent: stack, name: former[childName] ?? childName }],
    });
}
